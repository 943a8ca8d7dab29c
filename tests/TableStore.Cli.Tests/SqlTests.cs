using System.Globalization;
using DuckDB.NET.Data;
using TableStore.Cli.Tests.Support;
using TableStore.Core;
using TableStore.Core.Data;
using TableStore.Core.IO;
using TableStore.Core.Maintenance;
using TableStore.Core.Schema;
using TableStore.Core.Table;
using TableStore.Sql;

namespace TableStore.Cli.Tests;

/// <summary>
/// SQL over pinned snapshots (embedded DuckDB): every snapshot of a randomly written, compacted and altered table
/// equals the model at that snapshot, aggregates equal the model's, system tables equal the engine's listings, and
/// the sandbox refuses everything but the pinned files.
/// </summary>
public sealed class SqlTests : CliTestBase
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Select_star_at_every_snapshot_and_aggregates_equal_the_model_through_deletes_compactions_and_a_schema_change(int seed)
    {
        var random = new Random(seed);
        var catalog = new Catalog(new LocalFileSystemObjectStore(Warehouse));
        var id = Identifier.Parse("db.kv");
        var table = await catalog.CreateTableAsync(id, new TableDefinition(
            SchemaParser.ParseColumns("k BIGINT NOT NULL, region STRING NOT NULL, v INT"), ["k", "region"], ["region"], 2,
            new Dictionary<string, string> { [CoreOptions.CompactionTriggerKey] = "3" }));
        var model = new Dictionary<(long, string), (int? V, string? Note)>();
        var states = new Dictionary<long, Dictionary<(long, string), (int? V, string? Note)>>();
        bool altered = false;
        for (int step = 0; step < 14; step++)
        {
            if (step == 7)
            {
                // Files written before this keep the old names: the view maps them by field id.
                table = await catalog.AlterTableAsync(id, [new SchemaChange.RenameColumn("v", "value"), new SchemaChange.AddColumn("note", DataType.Parse("STRING"))]);
                altered = true;
            }
            var rows = new List<ChangeRow>();
            foreach (var _ in Enumerable.Range(0, random.Next(1, 12)))
            {
                var key = ((long)random.Next(25), random.Next(2) == 0 ? "eu" : "us");
                if (random.Next(4) == 0)
                {
                    rows.Add(new ChangeRow(RowKind.Delete, altered ? [key.Item1, key.Item2, null, null] : [key.Item1, key.Item2, null]));
                    model.Remove(key);
                }
                else
                {
                    int? v = random.Next(5) == 0 ? null : random.Next(1000);
                    var note = altered ? $"n{step}" : null;
                    rows.Add(new ChangeRow(RowKind.Insert, altered ? [key.Item1, key.Item2, v, note] : [key.Item1, key.Item2, v]));
                    model[key] = (v, note);
                }
            }
            // One write per snapshot: the model's state after it (a key written twice keeps its last row).
            var committed = (await table.WriteAndCommitAsync(rows.GroupBy(r => ((long)r.Values[0]!, (string)r.Values[1]!)).Select(g => g.Last()).ToList()))!;
            states[committed.SnapshotId] = new(model);
            if (committed.Compaction?.SnapshotId is { } c) states[c] = new(model);
            if (random.Next(4) == 0 && (await table.CompactAsync(new CompactOptions { Full = true })).SnapshotId is { } full) states[full] = new(model);
        }

        foreach (var (snapshot, state) in states)
        {
            var query = $"SELECT * FROM db.\"kv$snapshot_{snapshot}\"";
            var rows = await QueryAsync(catalog, query);
            var expected = state.Select(kv => Row(kv.Key, kv.Value, snapshot, states, table)).Order().ToList();
            Assert.Equal(expected, rows.Select(r => string.Join("|", r.Select(Values.Format))).Order().ToList());
        }
        var aggregates = await QueryAsync(catalog, "SELECT region, count(*), sum(value), count(note) FROM db.kv GROUP BY region ORDER BY region");
        var expectedAggregates = model.GroupBy(kv => kv.Key.Item2).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key}|{g.Count()}|{(g.Any(x => x.Value.V is not null) ? g.Sum(x => (long)(x.Value.V ?? 0)).ToString(CultureInfo.InvariantCulture) : "")}|{g.Count(x => x.Value.Note is not null)}");
        Assert.Equal(expectedAggregates, aggregates.Select(r => string.Join("|", r.Select(Values.Format))));
    }

    private static string Row((long K, string Region) key, (int? V, string? Note) value, long snapshot, Dictionary<long, Dictionary<(long, string), (int? V, string? Note)>> states, FileStoreTable table)
    {
        // Snapshots before the ALTER have three columns; later ones four.
        bool four = table.Schemas.GetAsync(table.Snapshots.GetAsync(snapshot).Result.SchemaId).Result.Fields.Length == 4;
        var cells = new List<object?> { key.K, key.Region, value.V };
        if (four) cells.Add(value.Note);
        return string.Join("|", cells.Select(Values.Format));
    }

    [Fact]
    public async Task First_row_and_append_only_tables_are_read_as_the_engine_reads_them_and_partial_update_is_refused()
    {
        var catalog = new Catalog(new LocalFileSystemObjectStore(Warehouse));
        var first = await catalog.CreateTableAsync(Identifier.Parse("db.first"), new TableDefinition(SchemaParser.ParseColumns("k BIGINT NOT NULL, v STRING"), ["k"], null, 1,
            new Dictionary<string, string> { [CoreOptions.MergeEngineKey] = "first-row" }));
        await first.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [1L, "a"]), new ChangeRow(RowKind.Insert, [2L, "b"])]);
        await first.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [1L, "later"]), new ChangeRow(RowKind.Insert, [3L, "c"])]);
        var engine = (await (await first.ScanAsync(new Core.Scan.ScanOptions())).ToListAsync()).Select(r => $"{r[0]}|{r[1]}").Order();
        Assert.Equal(engine, (await QueryAsync(catalog, "SELECT * FROM db.first")).Select(r => $"{r[0]}|{r[1]}").Order());

        var log = await catalog.CreateTableAsync(Identifier.Parse("db.log"), new TableDefinition(SchemaParser.ParseColumns("n INT, s STRING"), null, null, 2));
        await log.WriteAndCommitAsync([.. Enumerable.Range(0, 50).Select(i => new ChangeRow(RowKind.Insert, [i, $"s{i}"]))]);
        await log.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [7, "again"])]);
        Assert.Equal("51|1232", string.Join("|", (await QueryAsync(catalog, "SELECT count(*), sum(n) FROM db.log")).Single().Select(Values.Format)));

        await catalog.CreateTableAsync(Identifier.Parse("db.partial"), new TableDefinition(SchemaParser.ParseColumns("k BIGINT NOT NULL, a INT, b INT"), ["k"], null, 1,
            new Dictionary<string, string> { [CoreOptions.MergeEngineKey] = "partial-update" }));
        var refused = await Assert.ThrowsAsync<InvalidInputException>(() => QueryAsync(catalog, "SELECT * FROM db.partial"));
        Assert.Contains("merge-engine=partial-update, which SQL does not reproduce yet", refused.Message);
    }

    [Fact]
    public async Task The_sandbox_reads_only_the_pinned_files_writes_only_the_out_file_and_cannot_be_unlocked()
    {
        var catalog = new Catalog(new LocalFileSystemObjectStore(Warehouse));
        var t = await catalog.CreateTableAsync(Identifier.Parse("db.t"), new TableDefinition(SchemaParser.ParseColumns("k BIGINT NOT NULL, v INT"), ["k"], null, 1));
        await t.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [1L, 1])]);
        await t.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [2L, 2])]);
        var secret = Path.Combine(Root, "secret.csv");
        await File.WriteAllTextAsync(secret, "a,b\n1,2\n");
        foreach (var attack in new[]
        {
            $"SELECT * FROM read_csv('{secret}')",
            "SELECT * FROM read_csv('/etc/passwd')",
            $"COPY (SELECT 1) TO '{Path.Combine(Root, "out.csv")}'",
            "SET enable_external_access = true",
            "INSTALL httpfs",
            $"ATTACH '{Path.Combine(Root, "x.duckdb")}'",
        })
        {
            var e = await Record.ExceptionAsync(() => QueryAsync(catalog, attack));
            Assert.True(e is InvalidInputException, $"{attack}: {e?.GetType().Name} {e?.Message}");
        }
        Assert.False(File.Exists(Path.Combine(Root, "out.csv")));
        // Only queries run: a COPY over a file the views may read (the sandbox allows those paths) never reaches DuckDB.
        var pinned = (await t.NewScan().PlanAsync(await t.Snapshots.LatestAsync(), null)).Splits.SelectMany(s => s.Files.Select(f => t.Paths.DataFile([], s.Partition, s.Bucket, f.FileName))).First();
        var pinnedPath = new LocalFileSystemObjectStore(Warehouse).LocalPath(pinned)!;
        var before = await File.ReadAllBytesAsync(pinnedPath);
        foreach (var write in new[] { $"COPY (SELECT 1) TO '{pinnedPath}' (FORMAT parquet)", $"SELECT * FROM db.t; COPY (SELECT 1) TO '{pinnedPath}' (FORMAT parquet)", "SELECT 1; SELECT 2" })
        {
            var e = await Record.ExceptionAsync(() => QueryAsync(catalog, write));
            Assert.True(e is InvalidInputException && e.Message.StartsWith("sql runs one", StringComparison.Ordinal), $"{write}: {e}");
        }
        Assert.Equal(before, await File.ReadAllBytesAsync(pinnedPath));
        Assert.False(File.Exists(Path.Combine(Root, "x.duckdb")));

        // A data file of the table that the query's snapshot does not use is not readable either.
        var plan = await t.NewScan().PlanAsync(await t.Snapshots.GetAsync(2), null);
        var file = plan.Splits.SelectMany(s => s.Files.Select(f => t.Paths.DataFile([], s.Partition, s.Bucket, f.FileName))).First();
        var path = new LocalFileSystemObjectStore(Warehouse).LocalPath(file)!;
        Assert.Equal("1", string.Join("|", (await QueryAsync(catalog, "SELECT count(*) FROM db.\"t$snapshot_1\"")).Single().Select(Values.Format)));
        var sneaky = $"SELECT * FROM db.\"t$snapshot_1\", read_parquet('{path}')";
        var plan1 = await t.NewScan().PlanAsync(await t.Snapshots.GetAsync(1), null);
        if (!plan1.Splits.SelectMany(s => s.Files).Any(f => path.EndsWith(f.FileName, StringComparison.Ordinal)))
            await Assert.ThrowsAsync<InvalidInputException>(() => QueryAsync(catalog, sneaky));
    }

    [Fact]
    public async Task System_tables_match_the_engines_listings_and_time_travel_takes_tags_and_times()
    {
        var catalog = new Catalog(new LocalFileSystemObjectStore(Warehouse));
        var t = await catalog.CreateTableAsync(Identifier.Parse("db.t"), new TableDefinition(SchemaParser.ParseColumns("k BIGINT NOT NULL, v INT"), ["k"], null, 2));
        for (int i = 1; i <= 4; i++) await t.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [(long)i, i])]);
        await t.Tags.CreateAsync("two", 2);
        await t.Consumers.SetAsync("billing", 3);
        var snapshots = await QueryAsync(catalog, "SELECT id, kind, total_records, schema_id FROM db.\"t$snapshots\" ORDER BY id");
        var expected = new List<string>();
        foreach (var sid in await t.Snapshots.ListIdsAsync())
        {
            var s = await t.Snapshots.GetAsync(sid);
            expected.Add($"{s.Id}|{s.CommitKind.ToString().ToUpperInvariant()}|{s.TotalRecordCount}|{s.SchemaId}");
        }
        Assert.Equal(expected, snapshots.Select(r => string.Join("|", r.Select(Values.Format))));
        Assert.Equal("two|2|2", string.Join("|", (await QueryAsync(catalog, "SELECT tag, snapshot_id, total_records FROM db.t$tags")).Single().Select(Values.Format)));
        Assert.Equal("billing|3", string.Join("|", (await QueryAsync(catalog, "SELECT * FROM db.t$consumers")).Single().Select(Values.Format)));
        var live = (await t.NewScan().PlanAsync(await t.Snapshots.LatestAsync(), null)).Splits.Sum(s => s.Files.Count);
        Assert.Equal(live.ToString(CultureInfo.InvariantCulture), Values.Format((await QueryAsync(catalog, "SELECT count(*) FROM db.t$files")).Single()[0]));
        Assert.Equal("0|k BIGINT NOT NULL, v INT|k", string.Join("|", (await QueryAsync(catalog, "SELECT schema_id, fields, primary_keys FROM db.t$schemas")).Single().Select(Values.Format)));

        var latest = (await t.Snapshots.LatestAsync())!;
        long manifests = (await t.Manifests.ReadManifestListAsync(latest.BaseManifestList)).Count + (await t.Manifests.ReadManifestListAsync(latest.DeltaManifestList)).Count;
        Assert.Equal(manifests.ToString(CultureInfo.InvariantCulture), Values.Format((await QueryAsync(catalog, "SELECT count(*) FROM db.t$manifests")).Single()[0]));

        // $changes: what a stream of the table gives, snapshot by snapshot, with _op and _snapshot.
        await t.WriteAndCommitAsync([new ChangeRow(RowKind.Delete, [2L, null]), new ChangeRow(RowKind.Insert, [3L, 30])]);
        var streamed = new List<string>();
        await foreach (var batch in new Core.Streaming.StreamingReader(t).ReadAsync(new Core.Streaming.StreamingOptions { Start = Core.Streaming.StreamStart.Parse("snapshot:2"), IdleTimeout = TimeSpan.Zero }))
            streamed.AddRange(batch.Rows.Select(r => $"{r.Kind.ToShortString()}|{batch.SnapshotId}|{string.Join("|", r.Values.Select(Values.Format))}"));
        var lastId = (await t.Snapshots.LatestIdAsync())!.Value;
        Assert.Equal(streamed, (await QueryAsync(catalog, $"SELECT * FROM db.\"t$changes_2_{lastId}\" ORDER BY _snapshot")).Select(r => string.Join("|", r.Select(Values.Format))));
        Assert.Equal(streamed.Count + 1, (await QueryAsync(catalog, "SELECT * FROM db.t$changes")).Count);
        await Assert.ThrowsAsync<SnapshotNotFoundException>(() => QueryAsync(catalog, "SELECT * FROM db.t$changes_2_99"));

        Assert.Equal("2", Values.Format((await QueryAsync(catalog, "SELECT count(*) FROM db.t$tag_two")).Single()[0]));
        var third = await t.Snapshots.GetAsync(3);
        var at = third.Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        Assert.Equal("3", Values.Format((await QueryAsync(catalog, $"SELECT count(*) FROM db.\"t$as_of_{at}\"")).Single()[0]));
        var unknown = await Assert.ThrowsAsync<InvalidInputException>(() => QueryAsync(catalog, "SELECT * FROM db.t$yesterday"));
        Assert.Contains("Unknown table suffix $yesterday", unknown.Message);
        var missing = await Assert.ThrowsAsync<SnapshotNotFoundException>(() => QueryAsync(catalog, "SELECT * FROM db.t$snapshot_99"));
        Assert.Contains("99", missing.Message);
    }

    [Fact]
    public async Task The_cli_prints_tables_csv_and_jsonl_writes_parquet_and_reports_errors_with_their_position()
    {
        await CreateSeededOrdersAsync();
        var csv = await OkAsync("sql", "SELECT id, customer, amount FROM shop.orders WHERE id <= 2 ORDER BY id", "--format", "csv");
        var scan = await OkAsync("scan", Orders, "--format", "csv", "--select", "id,customer,amount", "--where", "id <= 2");
        Assert.Equal(scan.Stdout, csv.Stdout);
        var jsonl = await OkAsync("sql", "SELECT count(*) AS n FROM shop.orders", "--format", "jsonl");
        Assert.Matches("^\\{\"n\":\\d+\\}\n$", jsonl.Stdout);
        var grid = await OkAsync("sql", "SELECT count(*) AS n FROM shop.orders");
        Assert.Contains("data file", grid.Stderr);

        var queryFile = Path.Combine(Root, "q.sql");
        await File.WriteAllTextAsync(queryFile, "SELECT id FROM shop.orders ORDER BY id");
        var output = Path.Combine(Root, "out.parquet");
        var parquet = await OkAsync("sql", "--file", queryFile, "--format", "parquet", "--out", output);
        Assert.Contains($"to {output}", parquet.Stderr);
        using (var duck = new DuckDBConnection("Data Source=:memory:"))
        {
            duck.Open();
            using var count = duck.CreateCommand();
            count.CommandText = $"SELECT count(*) FROM read_parquet('{output}')";
            Assert.Equal((await OkAsync("scan", Orders, "--format", "csv")).StdoutLines.Length - 1, Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture));
        }

        var syntax = await FailAsync("sql", "SELEC id FROM shop.orders");
        Assert.Contains("error: SQL error:", syntax.Stderr);
        Assert.Contains("LINE 1", syntax.Stderr);
        Assert.Contains("Give the query as an argument or with --file", (await FailAsync("sql")).Stderr);
        Assert.Contains("sql runs one statement", (await FailAsync("sql", "SELECT 1; SELECT 2")).Stderr);
        Assert.Contains("--format parquet writes a file: give --out FILE.", (await FailAsync("sql", "SELECT 1", "--format", "parquet")).Stderr);
        Assert.Contains("--format parquet and --explain run the query in this process", (await FailAsync("sql", "SELECT 1", "--format", "parquet", "--out", output + "2", "--cluster", "127.0.0.1:1")).Stderr);
    }

    [Fact]
    public async Task A_filter_on_partition_columns_prunes_the_other_partitions_files_before_DuckDB_opens_them()
    {
        var catalog = new Catalog(new LocalFileSystemObjectStore(Warehouse));
        var t = await catalog.CreateTableAsync(Identifier.Parse("db.p"), new TableDefinition(
            SchemaParser.ParseColumns("k BIGINT NOT NULL, day DATE NOT NULL, region STRING NOT NULL, v INT"), ["k", "day", "region"], ["day", "region"], 1));
        for (int w = 0; w < 3; w++)
            await t.WriteAndCommitAsync([.. from day in new[] { 1, 2 } from region in new[] { "eu", "us" } select new ChangeRow(RowKind.Insert, [(long)w, new DateOnly(2026, 12, day), region, w])]);
        await using var session = await SqlSession.OpenAsync(catalog, "SELECT * FROM db.p", new SqlOptions { Threads = 1 });
        Assert.Equal(12, session.FilesRead); // 3 writes x 4 partitions, one bucket each

        // Each file is a scan of its own in DuckDB's optimized plan (a primary-key table's files carry their key
        // ranges); a pruned one is not there at all.
        static int FilesRead(string plan) => System.Text.RegularExpressions.Regex.Count(plan, "READ_PARQUET") / 2; // a box title and its "Function:"
        var all = session.Explain("SELECT count(*) FROM db.p", analyze: false);
        Assert.True(FilesRead(all) == 12, all);
        var one = session.Explain("SELECT count(*) FROM db.p WHERE region = 'eu' AND day = DATE '2026-12-02'", analyze: false);
        Assert.True(FilesRead(one) == 3, one);
        Assert.Equal(6, FilesRead(session.Explain("SELECT count(*) FROM db.p WHERE region = 'us'", analyze: false)));
        Assert.Equal("3", Values.Format((await QueryAsync(catalog, "SELECT count(*) FROM db.p WHERE region = 'eu' AND day = DATE '2026-12-02'")).Single()[0]));

        // A key filter prunes by each file's key range: key 1 was written once, to 4 partitions.
        var key = session.Explain("SELECT * FROM db.p WHERE k = 1", analyze: false);
        Assert.True(FilesRead(key) == 4, key);
        Assert.Equal(1, FilesRead(session.Explain("SELECT * FROM db.p WHERE k = 1 AND region = 'us' AND day = DATE '2026-12-01'", analyze: false)));
        Assert.Equal(4, (await QueryAsync(catalog, "SELECT * FROM db.p WHERE k = 1")).Count);
    }

    [Fact]
    public async Task Export_writes_the_merged_rows_of_a_snapshot_as_plain_parquet_in_hive_folders_that_duckdb_reads_back()
    {
        await OkAsync("table", "create", "shop.sales", "--schema", "id BIGINT NOT NULL, region STRING NOT NULL, amount DECIMAL(10,2)", "--primary-key", "id,region", "--partition-by", "region", "--buckets", "2");
        await OkWithInputAsync("id,region,amount\n1,eu,1.00\n2,eu,2.00\n3,us,3.00\n", "write", "shop.sales");
        await OkWithInputAsync("_op,id,region,amount\n+U,1,eu,10.00\n-D,3,us,\n+I,4,us,4.00\n", "write", "shop.sales");

        var latest = Path.Combine(Root, "export-latest");
        var r = await OkAsync("export", "shop.sales", "--to", latest);
        Assert.Contains("Exported shop.sales to", r.Stdout);
        Assert.Contains("3 rows in", r.Stdout);
        Assert.True(Directory.Exists(Path.Combine(latest, "region=eu")) && Directory.Exists(Path.Combine(latest, "region=us")), "Hive-style partition folders");
        Assert.Equal(["1|eu|10.00", "2|eu|2.00", "4|us|4.00"], ReadBack(latest));

        var first = Path.Combine(Root, "export-first");
        await OkAsync("export", "shop.sales", "--snapshot", "1", "--to", first);
        Assert.Equal(["1|eu|1.00", "2|eu|2.00", "3|us|3.00"], ReadBack(first));

        Assert.Contains("is not empty", (await FailAsync("export", "shop.sales", "--to", latest)).Stderr);
        Assert.Contains("--snapshot and --tag cannot be used together", (await FailAsync("export", "shop.sales", "--snapshot", "1", "--tag", "x", "--to", Path.Combine(Root, "x"))).Stderr);
    }

    /// <summary>The exported files as a plain DuckDB reads them (the partition column from the folder names), sorted.</summary>
    private static List<string> ReadBack(string directory)
    {
        using var duck = new DuckDBConnection("Data Source=:memory:");
        duck.Open();
        using var command = duck.CreateCommand();
        command.CommandText = $"SELECT id, region, amount FROM read_parquet('{directory}/**/*.parquet', hive_partitioning = true) ORDER BY id";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add(string.Create(CultureInfo.InvariantCulture, $"{reader.GetInt64(0)}|{reader.GetString(1)}|{reader.GetDecimal(2):0.00}"));
        Assert.DoesNotContain("_SEQUENCE_NUMBER", string.Join(",", Enumerable.Range(0, reader.FieldCount).Select(reader.GetName)));
        return rows;
    }

    private static async Task<List<object?[]>> QueryAsync(Catalog catalog, string sql)
    {
        await using var session = await SqlSession.OpenAsync(catalog, sql, new SqlOptions { Threads = 1, MemoryLimit = "512MB" });
        using var reader = session.ExecuteReader(sql);
        var rows = new List<object?[]>();
        do
        {
            while (reader.Read())
            {
                var row = new object?[reader.FieldCount];
                for (int i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                rows.Add(row);
            }
        }
        while (reader.NextResult());
        return rows;
    }
}
