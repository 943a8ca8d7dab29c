using System.CommandLine;
using System.Globalization;
using TableStore.Cli.Output;
using TableStore.Core.Data;
using TableStore.Core.Schema;
using TableStore.Core.Streaming;
using TableStore.Core.Table;

namespace TableStore.Cli.Commands;

/// <summary>
/// <c>tablestore stream &lt;db&gt;.&lt;table&gt; [--from latest|latest-full|earliest|snapshot:N|timestamp:T] [--consumer ID]
/// [--format jsonl|csv] [--max-snapshots N] [--timeout SECONDS]</c>: every change with its row kind (<c>_op</c>)
/// and snapshot id (<c>_snapshot</c>), in snapshot order, following new snapshots until stopped.
/// </summary>
internal static class StreamCommand
{
    public static Command Build(CliContext context)
    {
        var table = CommonOptions.TableArgument();
        var from = new Option<string>("--from")
        {
            Description = "Where to start: latest (new changes only), latest-full, earliest (the earliest retained snapshot whole, then changes), snapshot:N (the changes of N and on), timestamp:T",
            DefaultValueFactory = _ => "latest",
            HelpName = "START",
        };
        var consumer = new Option<string?>("--consumer") { Description = "Record progress under this id: a rerun resumes after the last snapshot finished, and expiration keeps what it still needs", HelpName = "ID" };
        var format = CommonOptions.Format(RowFormatter.JsonLines, RowFormatter.JsonLines, RowFormatter.Csv);
        var maxSnapshots = CommonOptions.WholeNumber<long>("--max-snapshots", "Stop after this many snapshots", "N");
        var timeout = CommonOptions.WholeNumber<int>("--timeout", "Stop after this many seconds without a new snapshot", "SECONDS");
        var command = new Command("stream", "Follow a table's changes: each row with its kind (_op) and snapshot (_snapshot)")
        {
            table, from, consumer, format, maxSnapshots, timeout,
        };
        command.SetAction(async (pr, ct) =>
        {
            var id = Identifier.Parse(pr.GetValue(table));
            var options = new StreamingOptions
            {
                Start = StreamStart.Parse(pr.GetValue(from)!),
                ConsumerId = pr.GetValue(consumer),
                IdleTimeout = pr.GetValue(timeout) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            };
            await using var service = await context.OpenAsync(pr, ct).ConfigureAwait(false);
            var schema = await service.GetSchemaAsync(id, ct).ConfigureAwait(false);
            OutputColumn[] columns = [new(SystemColumns.Op), new(SystemColumns.Snapshot, AlignRight: true), .. schema.Fields.Select(OutputColumn.From)];
            var formatter = RowFormatter.Create(pr.GetValue(format)!, pr.Out(), columns);
            formatter.Begin();
            pr.Out().Flush();
            long snapshots = 0, limit = pr.GetValue(maxSnapshots) ?? long.MaxValue;
            if (limit == 0) return 0;
            await foreach (var batch in service.StreamAsync(id, options, ct).ConfigureAwait(false))
            {
                foreach (var change in batch.Rows)
                    formatter.Write([change.Kind.ToShortString(), batch.SnapshotId, .. change.Values]);
                pr.Out().Flush();
                if (context.ShowProgress)
                    pr.Err().WriteLine(string.Create(CultureInfo.InvariantCulture, $"(snapshot {batch.SnapshotId}: {batch.Rows.Count} {(batch.IsFullSnapshot ? "rows, full" : "changes")})"));
                if (++snapshots >= limit)
                {
                    // Printed means processed: the reader would record it only when asked for the next batch.
                    if (options.ConsumerId is { } c) await service.SetConsumerAsync(id, c, batch.SnapshotId + 1, ct).ConfigureAwait(false);
                    break;
                }
            }
            formatter.End();
            return 0;
        });
        return command;
    }
}
