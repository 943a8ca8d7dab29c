using System.CommandLine;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using TableStore.Cli.Output;
using TableStore.Client;
using TableStore.Core;
using TableStore.Core.Api;
using TableStore.Sql;

namespace TableStore.Cli.Commands;

/// <summary>
/// <c>tablestore sql "&lt;query&gt;" | --file q.sql [--format table|csv|jsonl|parquet] [--out FILE] [--system-columns]
/// [--memory-limit SIZE] [--threads N] [--explain]</c>: a query in an embedded DuckDB over pinned snapshots of the warehouse's
/// tables (<c>db.table</c>, <c>db."table$snapshot_N"</c>, <c>$tag_X</c>, <c>$as_of_T</c>, system tables <c>$snapshots</c>…);
/// with <c>--cluster</c>, on a silo of the cluster (its time and memory limits), the rows streamed back.
/// </summary>
internal static class SqlCommand
{
    public const string Parquet = "parquet";

    public static Command Build(CliContext context)
    {
        var query = new Argument<string?>("query") { Description = "The query (one statement), e.g. \"SELECT region, count(*) FROM shop.orders GROUP BY region\"", Arity = ArgumentArity.ZeroOrOne };
        var file = new Option<string?>("--file") { Description = "Read the query from this file instead", HelpName = "FILE" };
        var format = CommonOptions.Format(RowFormatter.Table, [.. RowFormatter.Formats, Parquet]);
        var output = new Option<string?>("--out") { Description = "Write the result to this file (needed for parquet)", HelpName = "FILE" };
        var systemColumns = new Option<bool>("--system-columns") { Description = "Primary-key tables also show _SEQUENCE_NUMBER and _VALUE_KIND of each key's row" };
        var memory = new Option<string>("--memory-limit") { Description = "DuckDB's memory limit for the query", DefaultValueFactory = _ => new SqlOptions().MemoryLimit, HelpName = "SIZE" };
        var threads = CommonOptions.WholeNumber<int>("--threads", "DuckDB's worker threads (default: one per core)", "N");
        var explain = new Option<bool>("--explain") { Description = "Run the query and print DuckDB's plan with what each operator read (EXPLAIN ANALYZE: files pruned by partition never appear) instead of the rows" };
        var command = new Command("sql", "Query tables with SQL (embedded DuckDB) over pinned snapshots: db.table, db.\"table$snapshot_N\", $tag_NAME, $as_of_TIME, and system tables $snapshots, $schemas, $tags, $files, $consumers")
        {
            query, file, format, output, systemColumns, memory, threads, explain,
        };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(query) is null) == (result.GetValue(file) is null)) result.AddError("Give the query as an argument or with --file, not both or neither.");
            if (result.GetValue(format) == Parquet && result.GetValue(output) is null) result.AddError("--format parquet writes a file: give --out FILE.");
            if (result.GetValue(context.Cluster) is not null && (result.GetValue(format) == Parquet || result.GetValue(explain)))
                result.AddError("--format parquet and --explain run the query in this process (over --warehouse), not in a cluster.");
            if (result.GetValue(context.Cluster) is not null && (result.GetResult(memory) is { Implicit: false } || result.GetResult(threads) is not null))
                result.AddError("--memory-limit and --threads are for a query run in this process; in a cluster the silo's TableStore:QueryMemoryLimit applies.");
        });
        command.SetAction(async (pr, ct) =>
        {
            var sql = pr.GetValue(query) ?? await ReadQueryAsync(pr.GetValue(file)!, ct).ConfigureAwait(false);
            var options = new SqlOptions { MemoryLimit = pr.GetValue(memory)!, Threads = pr.GetValue(threads), SystemColumns = pr.GetValue(systemColumns) };
            var outFile = pr.GetValue(output);
            var outputFormat = pr.GetValue(format)!;
            await using var store = await context.OpenAsync(pr, ct).ConfigureAwait(false);
            var started = Stopwatch.GetTimestamp();
            if (store is TableStoreClient client)
            {
                // In the cluster: the query runs on a silo, with its limits; the rows come back page by page.
                using var waiting = context.ShowProgress ? Ticker(pr, started) : null;
                var outcome = await client.QueryAsync(sql, systemColumns: options.SystemColumns, ct: ct).ConfigureAwait(false);
                waiting?.Change(Timeout.Infinite, Timeout.Infinite);
                var remoteWriter = outFile is null ? pr.Out() : new StreamWriter(outFile);
                long remoteRows;
                try
                {
                    var formatter = RowFormatter.Create(outputFormat, remoteWriter, [.. outcome.Columns.Select(c => new OutputColumn(c.Name, c.IsNumber))]);
                    formatter.Begin();
                    await foreach (var row in outcome.Rows.WithCancellation(ct).ConfigureAwait(false)) formatter.Write(row);
                    formatter.End();
                    remoteRows = formatter.RowCount;
                }
                finally
                {
                    if (outFile is not null) await remoteWriter.DisposeAsync().ConfigureAwait(false);
                }
                Summary(pr, context, outputFormat, outFile, remoteRows, outcome.FilesRead, started);
                return 0;
            }
            var catalog = ((EmbeddedTableStore)store).Catalog;
            await using var session = await SqlSession.OpenAsync(catalog, sql, options, outputFormat == Parquet ? outFile : null, ct: ct).ConfigureAwait(false);
            using var ticker = context.ShowProgress ? Ticker(pr, started) : null;
            long rows;
            if (pr.GetValue(explain))
            {
                pr.Out().Write(session.Explain(sql, analyze: true));
                rows = 0;
            }
            else if (outputFormat == Parquet)
                rows = session.CopyTo(sql, outFile!);
            else
            {
                var writer = outFile is null ? pr.Out() : new StreamWriter(outFile);
                try { rows = Write(session.ExecuteReader(sql, ct), outputFormat, writer, ticker); }
                finally
                {
                    if (outFile is not null) await writer.DisposeAsync().ConfigureAwait(false);
                }
            }
            Summary(pr, context, outputFormat, outFile, rows, session.FilesRead, started);
            return 0;
        });
        return command;
    }

    /// <summary>Every 2 s until the first rows: the query is still running.</summary>
    private static Timer Ticker(ParseResult pr, long started) =>
        new(_ => pr.Err().WriteLine(string.Create(CultureInfo.InvariantCulture, $"(running, {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s)")), null, 2000, 2000);

    private static void Summary(ParseResult pr, CliContext context, string format, string? outFile, long rows, int files, long started)
    {
        if (format == RowFormatter.Table || outFile is not null || context.ShowProgress)
            pr.Err().WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"({rows} row{(rows == 1 ? "" : "s")}{(outFile is null ? "" : $" to {outFile}")}; {files} data file{(files == 1 ? "" : "s")} read; {Stopwatch.GetElapsedTime(started).TotalSeconds:0.###} s)"));
    }

    private static async Task<string> ReadQueryAsync(string path, CancellationToken ct)
    {
        try { return await File.ReadAllTextAsync(path, ct).ConfigureAwait(false); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"Cannot read the query file {path}: {e.Message}");
        }
    }

    private static long Write(DbDataReader reader, string format, TextWriter writer, Timer? ticker)
    {
        using (reader)
        {
            var columns = Enumerable.Range(0, reader.FieldCount).Select(i => new OutputColumn(reader.GetName(i), SqlValues.IsNumber(reader.GetFieldType(i)))).ToList();
            var formatter = RowFormatter.Create(format, writer, columns);
            formatter.Begin();
            ticker?.Change(Timeout.Infinite, Timeout.Infinite); // the first rows are here
            var row = new object?[reader.FieldCount];
            while (reader.Read())
            {
                for (int i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : SqlValues.ToEngine(reader.GetValue(i));
                formatter.Write(row);
            }
            formatter.End();
            return formatter.RowCount;
        }
    }
}
