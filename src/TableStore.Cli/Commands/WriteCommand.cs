using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Text;
using TableStore.Core.Api;
using TableStore.Core.Data;
using TableStore.Core.Ingest;
using TableStore.Core.Schema;
using TableStore.Core;
using TableStore.Core.Table;

namespace TableStore.Cli.Commands;

/// <summary>
/// <c>tablestore write &lt;db&gt;.&lt;table&gt; [--file F] [--format csv|jsonl]</c>: one invocation is one atomic
/// commit, of any size: rows stream from the input in batches with bounded memory (embedded: into the memtables,
/// flushed to sorted runs as they fill; cluster: uploaded in parts). Bad input anywhere commits nothing: what was
/// written for it is deleted. Prints the committed snapshot id on stdout and a summary on stderr.
/// </summary>
internal static class WriteCommand
{
    public const string StdinName = "stdin";

    public static Command Build(CliContext context)
    {
        var table = CommonOptions.TableArgument();
        var file = new Option<string?>("--file")
        {
            Description = "The input file ('-' or none: standard input)",
            HelpName = "FILE",
        };
        var format = new Option<string?>("--format")
        {
            Description = "Input format: csv (header row) or jsonl (default: jsonl for .jsonl/.json files, else csv)",
        };
        format.AcceptOnlyFromAmong("csv", "jsonl");
        var commitUser = new Option<string?>("--commit-user")
        {
            Description = "Name this writer, with --commit-id, to make the write safe to retry: a rerun of a write that already committed prints its snapshot id instead of committing again",
            HelpName = "NAME",
        };
        var commitId = CommonOptions.WholeNumber<long>("--commit-id", "The write's identifier for --commit-user, e.g. a batch number; each distinct write needs a new one", "N");
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace the whole table (or the --partition) with these rows, in one commit; no rows empties it" };
        var partition = new Option<string?>("--partition") { Description = "With --overwrite: replace only this partition, column=value[,column=value]", HelpName = "k=v" };
        var command = new Command("write", "Write rows from CSV or JSON Lines as one commit; an optional _op column holds +I, -U, +U or -D")
        {
            table, file, format, commitUser, commitId, overwrite, partition,
        };
        command.Validators.Add(result =>
        {
            // Both or neither: a defaulted id would make every later batch of that user look already committed.
            bool hasId = result.GetResult(commitId) is { Implicit: false }, hasUser = result.GetResult(commitUser) is not null;
            if (hasId && !hasUser) result.AddError("--commit-id needs --commit-user.");
            if (hasUser && !hasId) result.AddError("--commit-user needs --commit-id: the identifier of this write, new for each distinct write.");
            if (result.GetResult(partition) is not null && !result.GetValue(overwrite))
                result.AddError("--partition needs --overwrite: it names the partition the rows replace.");
        });
        command.SetAction(async (pr, ct) =>
        {
            var id = Identifier.Parse(pr.GetValue(table));
            await using var service = await context.OpenAsync(pr, ct).ConfigureAwait(false);
            var schema = await service.GetSchemaAsync(id, ct).ConfigureAwait(false);
            var path = pr.GetValue(file);
            bool fromStdin = path is null or "-";
            var inputFormat = pr.GetValue(format) ?? (fromStdin ? "csv" : InferFormat(path!));

            var err = pr.Err();
            bool replace = pr.GetValue(overwrite);
            var user = pr.GetValue(commitUser);
            var identity = user is null ? null : new WriteIdentity(user, pr.GetValue(commitId)!.Value);
            var source = fromStdin ? StdinName : path!;
            long rowCount;
            WriteOutcome? result;
            try
            {
                if (!fromStdin) OpenFile(path!).Dispose(); // a missing file is said before anything starts
                var rows = fromStdin
                    ? RowSource.Once(ReadBatches(() => context.Stdin, inputFormat, schema, StdinName, ownsReader: false), StdinName)
                    : RowSource.Replayable(_ => ReadBatches(() => OpenFile(path!), inputFormat, schema, path!, ownsReader: true), path!);
                var progress = new RowProgress(context.ShowProgress ? err : null, source);
                result = replace
                    ? await service.OverwriteAsync(id, rows, PartitionSpec.ParseAssignments(pr.GetValue(partition)), identity, progress, ct).ConfigureAwait(false)
                    : await service.WriteAsync(id, rows, identity, progress, ct).ConfigureAwait(false);
                rowCount = progress.Rows;
                if (context.ShowProgress && rowCount >= ProgressEvery) err.WriteLine();
            }
            catch (WriteOutcomeUnknownException e)
            {
                throw UnknownOutcome(id, identity, e);
            }
            if (result is null)
            {
                err.WriteLine(rowCount == 0
                    ? $"No rows in {source}: nothing committed to {id.FullName}."
                    : $"The {rowCount} rows produced no change: nothing committed to {id.FullName}.");
                return 0;
            }
            pr.Out().WriteLine(result.SnapshotId.ToString(CultureInfo.InvariantCulture));
            var inv = CultureInfo.InvariantCulture;
            err.WriteLine(result.AlreadyCommitted
                ? string.Create(inv, $"Already committed as snapshot {result.SnapshotId} of {id.FullName} by {user} #{pr.GetValue(commitId)}: nothing written again")
                : string.Create(inv, $"Committed snapshot {result.SnapshotId} of {id.FullName}: {rowCount} row{(rowCount == 1 ? "" : "s")}{(replace ? $", replacing {(pr.GetValue(partition) is { } p ? "partition " + p : "the whole table")}" : "")}"));
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The CLI's retry advice for a write whose outcome is unknown: a rerun of the same command is safe only with
    /// --commit-user/--commit-id (the same write id); without them it is a new write.
    /// </summary>
    private static TableStoreException UnknownOutcome(Identifier id, WriteIdentity? identity, WriteOutcomeUnknownException e)
    {
        // The client's own advice (retry with the same write id) is replaced by what a CLI user can do.
        var what = Regex.Replace(ErrorText.Summary(e), @"\s*Retry(ing)? it with the same write id.*$", "");
        return identity is null
            ? new TableStoreException($"{what} The write had no --commit-user/--commit-id, so running it again would be a new write and could apply its rows twice: check 'tablestore snapshots {id.FullName}' first. Give writes --commit-user NAME --commit-id N to make a rerun safe.", e)
            : new TableStoreException($"{what} Running the same command again (same --commit-user and --commit-id) is safe: if it was committed, the rerun says so and writes nothing. Through a cluster, rerun it soon: a rerun is recognised while the write is among the table's last TableStore:WriteDeduplicationSnapshots commits (100 by default), or, for a write uploaded in several parts, for TableStore:AbandonedUploadTimeout (1 h); later, check 'tablestore snapshots {id.FullName}' first.", e);
    }

    internal static string InferFormat(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".jsonl" or ".json" or ".ndjson" ? "jsonl" : "csv";

    private const int ProgressEvery = 100_000;

    /// <summary>The input's rows in batches, validated as they are read; the reader is opened when the batches are.</summary>
    private static async IAsyncEnumerable<IReadOnlyList<ChangeRow>> ReadBatches(Func<TextReader> open, string format, TableSchema schema, string source, bool ownsReader)
    {
        var input = open();
        try
        {
            var batch = new List<ChangeRow>(BatchRows);
            foreach (var row in format == "jsonl" ? RowReaders.ReadJsonLines(input, schema, source) : RowReaders.ReadCsv(input, schema, source))
            {
                batch.Add(row);
                if (batch.Count < BatchRows) continue;
                yield return batch;
                batch = new List<ChangeRow>(BatchRows);
            }
            if (batch.Count > 0) yield return batch;
            await Task.CompletedTask.ConfigureAwait(false);
        }
        finally
        {
            if (ownsReader) input.Dispose();
        }
    }

    private const int BatchRows = 8192;

    /// <summary>Counts the rows taken and shows the count every <see cref="ProgressEvery"/> rows (written here, in order).</summary>
    private sealed class RowProgress(TextWriter? err, string source) : IProgress<long>
    {
        public long Rows { get; private set; }

        public void Report(long value)
        {
            if (err is not null && value / ProgressEvery > Rows / ProgressEvery) err.Write($"\rRead, validated and wrote {value:N0} rows of {source}…");
            Rows = value;
        }
    }

    private static StreamReader OpenFile(string path)
    {
        try { return new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InvalidInputException($"Input file '{path}' does not exist.");
        }
    }
}
