using System.CommandLine;
using System.Globalization;
using TableStore.Cli.Output;
using TableStore.Client;
using TableStore.Core.Api;
using TableStore.Core.Data;
using TableStore.Core.Schema;
using TableStore.Core.Streaming;
using TableStore.Core.Table;
using TableStore.Streaming.Kafka;

namespace TableStore.Cli.Commands;

/// <summary>
/// <c>tablestore stream &lt;db&gt;.&lt;table&gt; [--from latest|latest-full|earliest|snapshot:N|timestamp:T] [--consumer ID]
/// [--format jsonl|csv] [--max-snapshots N] [--timeout SECONDS] [--bootstrap HOST:PORT [--topic T] [-X key=value]…]</c>:
/// every change with its row kind (<c>_op</c>) and snapshot id (<c>_snapshot</c>), in snapshot order, following new
/// snapshots until stopped. With <c>--bootstrap</c>, a hybrid read: new snapshots come from the service's Kafka topic
/// (from the positions the start snapshot records) instead of polling the lake, with the same output.
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
        var bootstrap = new Option<string?>("--bootstrap")
        {
            Description = "Kafka brokers the service publishes changes to (TableStore:Kafka:BootstrapServers): new snapshots are read from its topic, from the positions the start snapshot records, and from the lake only what the topic lacks",
            HelpName = "HOST:PORT",
        };
        var topic = new Option<string?>("--topic") { Description = $"With --bootstrap: the service's change topic (TableStore:Kafka:Topic; default {new KafkaStreamOptions().TopicName})", HelpName = "TOPIC" };
        var settings = CommonOptions.KafkaSettings("reader");
        var command = new Command("stream", "Follow a table's changes: each row with its kind (_op) and snapshot (_snapshot)")
        {
            table, from, consumer, format, maxSnapshots, timeout, bootstrap, topic, settings,
        };
        command.Validators.Add(result =>
        {
            bool kafka = result.GetResult(bootstrap) is not null;
            if (kafka && result.GetValue(context.Cluster) is not null)
                result.AddError("--bootstrap reads the service's Kafka topic next to the warehouse; with --cluster the service delivers the changes itself. Use one of them.");
            if (!kafka && (result.GetResult(topic) is not null || result.GetResult(settings) is not null))
                result.AddError("--topic and -X set how the Kafka topic is read: they need --bootstrap.");
        });
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
            await using var changeLog = pr.GetValue(bootstrap) is { } brokers ? OpenChangeLog(id, brokers, pr.GetValue(topic), pr.GetValue(settings), new StderrLogger(pr.Err(), context.Debug)) : null;
            var schema = await service.GetSchemaAsync(id, ct).ConfigureAwait(false);
            OutputColumn[] columns = [new(SystemColumns.Op), new(SystemColumns.Snapshot, AlignRight: true), .. schema.Fields.Select(OutputColumn.From)];
            var formatter = RowFormatter.Create(pr.GetValue(format)!, pr.Out(), columns);
            formatter.Begin();
            pr.Out().Flush();
            long snapshots = 0, limit = pr.GetValue(maxSnapshots) ?? long.MaxValue;
            if (limit == 0) return 0;
            var batches = changeLog is null
                ? service.StreamAsync(id, options, ct)
                : new StreamingReader(await ((EmbeddedTableStore)service).Catalog.GetTableAsync(id, ct).ConfigureAwait(false), changeLog).ReadAsync(options, ct);
            await foreach (var batch in batches.ConfigureAwait(false))
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

    private static KafkaChangeLog OpenChangeLog(Identifier id, string brokers, string? topic, string[]? settings, StderrLogger log)
    {
        var options = new KafkaStreamOptions { BootstrapServers = brokers, Topic = topic };
        CommonOptions.AddKafkaSettings(settings, options.Settings);
        return new KafkaChangeLog(id.FullName, options, log);
    }
}
