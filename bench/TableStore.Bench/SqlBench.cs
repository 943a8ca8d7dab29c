using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using TableStore.Core.Data;
using TableStore.Core.IO;
using TableStore.Core.Schema;
using TableStore.Core.Table;
using TableStore.Sql;

namespace TableStore.Bench;

/// <summary>
/// <c>tablestore sql</c>'s engine against DuckDB on its own native tables holding the same rows, side by side in one
/// process: TPC-H-like aggregates over an upsert table (merged on the fly: ~30 % of its rows are updates, written in
/// 10 commits) and over an append-only table, and the upsert table again after a full compaction; and a key-filtered query end to end (prepare the
/// session, plan, prune, run), as <c>tablestore sql</c> does for each query.
/// </summary>
internal static class SqlBench
{
    private static readonly string[] Aggregates =
    [
        "SELECT count(*), sum(n), avg(n), min(v), max(v) FROM {0}",
        "SELECT k % 100 AS g, count(*), sum(n), avg(length(v)) FROM {0} GROUP BY g ORDER BY g",
        "SELECT substr(v, 1, 3) AS p, count(DISTINCT k), max(n) FROM {0} GROUP BY p ORDER BY 2 DESC LIMIT 10",
    ];

    public static async Task RunAsync(int upsertRows, int appendRows, int runs)
    {
        var root = Directory.CreateTempSubdirectory("tablestore-sql-bench-").FullName;
        try
        {
            var catalog = new Catalog(new LocalFileSystemObjectStore(root));
            var upsert = await catalog.CreateTableAsync(Identifier.Parse("bench.upsert"), new TableDefinition(SchemaParser.ParseColumns("k BIGINT NOT NULL, v STRING, n DOUBLE"), ["k"], null, 4));
            var append = await catalog.CreateTableAsync(Identifier.Parse("bench.events"), new TableDefinition(SchemaParser.ParseColumns("k BIGINT NOT NULL, v STRING, n DOUBLE"), null, null, 4));
            var random = new Random(1);
            long keys = Math.Max(1, upsertRows * 7L / 10);
            var load = Stopwatch.StartNew();
            foreach (var chunk in Enumerable.Range(0, upsertRows).Chunk(Math.Max(1, upsertRows / 10)))
                await upsert.WriteAndCommitAsync([.. chunk.Select(i => new ChangeRow(RowKind.Insert, [i < keys ? i : random.NextInt64(keys), $"value-{random.Next(100_000):D6}", random.NextDouble() * 1000]))]);
            foreach (var chunk in Enumerable.Range(0, appendRows).Chunk(Math.Max(1, appendRows / 10)))
                await append.WriteAndCommitAsync([.. chunk.Select(i => new ChangeRow(RowKind.Insert, [(long)i, $"event-{random.Next(100_000):D6}", random.NextDouble() * 1000]))]);
            Console.WriteLine($"## SQL: {upsertRows:N0} upserts over {keys:N0} keys (10 commits, with the compactions the writes ran) and {appendRows:N0} appended rows, best of {runs}; loaded in {load.Elapsed.TotalSeconds:0.0} s");

            // DuckDB's own tables with exactly the rows TableStore serves.
            using var native = new DuckDBConnection("Data Source=:memory:");
            native.Open();
            foreach (var (table, name) in new[] { ("bench.upsert", "native_upsert"), ("bench.events", "native_events") })
            {
                var sql = $"SELECT * FROM {table}";
                await using var session = await SqlSession.OpenAsync(catalog, sql, new SqlOptions());
                using var reader = session.ExecuteReader(sql);
                Execute(native, $"CREATE TABLE {name} (k BIGINT, v VARCHAR, n DOUBLE)");
                using var appender = native.CreateAppender(name);
                while (reader.Read()) appender.CreateRow().AppendValue(reader.GetInt64(0)).AppendValue(reader.GetString(1)).AppendValue(reader.GetDouble(2)).EndRow();
            }

            Console.WriteLine("| query | table | TableStore sql (ms) | DuckDB native (ms) | ratio native/TableStore |");
            Console.WriteLine("| --- | --- | ---: | ---: | ---: |");
            var tables = new[] { ("bench.upsert", "native_upsert", "bench.upsert"), ("bench.events", "native_events", "bench.events") };
            foreach (var compacted in new[] { false, true })
            {
                if (compacted)
                {
                    // After a full compaction the files' key ranges are disjoint: no row needs merging.
                    await upsert.CompactAsync(new CompactOptions { Full = true });
                    tables = [("bench.upsert", "native_upsert", "bench.upsert (fully compacted)")];
                }
                for (int q = 0; q < Aggregates.Length; q++)
                    foreach (var (table, name, label) in tables)
                    {
                        string ourRows = "", theirRows = "";
                        var ours = await BestAsync(runs, async () =>
                        {
                            var sql = string.Format(CultureInfo.InvariantCulture, Aggregates[q], table);
                            await using var session = await SqlSession.OpenAsync(catalog, sql, new SqlOptions());
                            ourRows = Drain(session.ExecuteReader(sql));
                        });
                        var theirs = await BestAsync(runs, () =>
                        {
                            using var command = native.CreateCommand();
                            command.CommandText = string.Format(CultureInfo.InvariantCulture, Aggregates[q], name);
                            theirRows = Drain(command.ExecuteReader());
                            return Task.CompletedTask;
                        });
                        if (ourRows != theirRows) throw new InvalidOperationException($"Q{q + 1} on {label}: TableStore answered {ourRows}, DuckDB {theirRows}");
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Q{q + 1} | {label} | {ours:0} | {theirs:0} | {theirs / ours:0.00} |"));
                    }
            }

            // Key lookups through SQL, end to end: a new session per query, as the CLI makes.
            var latencies = new List<double>();
            for (int i = 0; i < 50; i++)
            {
                var sql = $"SELECT * FROM bench.upsert WHERE k = {random.NextInt64(keys)}";
                var watch = Stopwatch.StartNew();
                await using (var session = await SqlSession.OpenAsync(catalog, sql, new SqlOptions()))
                    _ = Drain(session.ExecuteReader(sql));
                latencies.Add(watch.Elapsed.TotalMilliseconds);
            }
            latencies.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"key-filtered query, end to end in process (50 keys): p50 {latencies[latencies.Count / 2]:0.0} ms, p99 {latencies[(int)(latencies.Count * 0.99)]:0.0} ms, max {latencies[^1]:0.0} ms"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<double> BestAsync(int runs, Func<Task> run)
    {
        double best = double.MaxValue;
        for (int i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await run();
            best = Math.Min(best, watch.Elapsed.TotalMilliseconds);
        }
        return best;
    }

    /// <summary>Reads every row; the result as text (doubles rounded: summation order differs), to check both engines agree.</summary>
    private static string Drain(System.Data.Common.DbDataReader reader)
    {
        var text = new System.Text.StringBuilder();
        using (reader)
            while (reader.Read())
                for (int i = 0; i < reader.FieldCount; i++)
                    text.Append(reader.GetValue(i) switch { double d => d.ToString("G9", CultureInfo.InvariantCulture), var v => Convert.ToString(v, CultureInfo.InvariantCulture) }).Append(i + 1 < reader.FieldCount ? "," : ";");
        return text.ToString();
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
