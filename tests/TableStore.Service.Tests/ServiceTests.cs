using TableStore.Abstractions;
using TableStore.Core;
using TableStore.Core.Data;
using TableStore.Core.Schema;
using TableStore.Core.Serialization;
using TableStore.Service.Tests.Support;

namespace TableStore.Service.Tests;

/// <summary>The service end to end through a 3-silo cluster: every contract crosses a real silo boundary.</summary>
[Collection(ThreeSiloCollection.Name)]
public sealed class ServiceTests(ThreeSiloCluster fixture)
{
    [Fact]
    public async Task Create_write_scan_lookup_and_snapshots_round_trip_every_type()
    {
        var client = fixture.Client;
        var table = Specs.NewTable("types");
        var schema = await client.CreateTableAsync(table, Specs.AllTypes(buckets: 4));
        Assert.Equal(12, schema.Fields.Length);
        Assert.Contains(table, await client.ListTablesAsync());

        var rows = Enumerable.Range(0, 50).Select(i => Specs.Upsert(Specs.AllTypesRow(i % 2 == 0 ? "eu" : "us", i, i * 11))).ToList();
        var expected = rows.Select(r => (object?[])r.Values.Clone()).ToList();
        var result = await client.WriteAsync(table, rows);
        Assert.NotNull(result);
        Assert.False(result.AlreadyCommitted);

        var scan = await client.ScanAsync(table, new ScanOptions());
        Assert.Equal(result.SnapshotId, scan.SnapshotId);
        var read = new List<object?[]>();
        await foreach (var r in scan.Rows) read.Add(r);
        Assert.Equal(50, read.Count);
        foreach (var e in expected)
        {
            var match = Assert.Single(read, r => (long)r[1]! == (long)e[1]!);
            Assert.Equal(e, match);
        }

        var hit = await client.LookupAsync(table, ["eu", 4L]);
        Assert.Equal(expected[4], hit.Row);
        Assert.Equal(result.SnapshotId, hit.SnapshotId);
        Assert.Null((await client.LookupAsync(table, ["us", 4L])).Row);

        var snapshots = await client.ListSnapshotsAsync(table);
        Assert.Equal(result.SnapshotId, Assert.Single(snapshots).Id);
        var (described, latest) = await client.DescribeAsync(table);
        Assert.Equal(result.SnapshotId, latest);
        Assert.Equal(schema.Fields.Select(f => f.ToString()), described.Fields.Select(f => f.ToString()));
        Assert.Equal(schema.Fields.Select(f => f.Id), described.Fields.Select(f => f.Id));
    }

    [Fact]
    public async Task Concurrent_writes_share_snapshots_and_each_returns_the_snapshot_holding_its_rows()
    {
        var client = fixture.Client;
        var table = Specs.NewTable("group");
        await client.CreateTableAsync(table, Specs.AllTypes(buckets: 2));
        var writes = Enumerable.Range(0, 40).Select(i =>
            client.WriteAsync(table, [Specs.Upsert(Specs.AllTypesRow("eu", i, i))])).ToList();
        var results = await Task.WhenAll(writes);
        var snapshots = await client.ListSnapshotsAsync(table);
        Assert.True(snapshots.Count < 40, $"40 concurrent writes made {snapshots.Count} snapshots: no group commit");
        for (int i = 0; i < 40; i++)
        {
            // The write's row is visible at the snapshot it was acknowledged with.
            var hit = await client.LookupAsync(table, ["eu", (long)i], results[i]!.SnapshotId);
            Assert.NotNull(hit.Row);
        }
    }

    [Fact]
    public async Task Bad_rows_are_rejected_with_the_row_and_column_and_nothing_is_written()
    {
        var client = fixture.Client;
        var table = Specs.NewTable("bad");
        await client.CreateTableAsync(table, Specs.AllTypes(buckets: 2));
        var good = Specs.Upsert(Specs.AllTypesRow("eu", 1, 1));
        var nullKey = Specs.AllTypesRow("eu", 2, 2);
        nullKey[1] = null;
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => client.WriteAsync(table, [good, Specs.Upsert(nullKey)]));
        Assert.Contains("Row 2", e.Message);
        Assert.Contains("'id'", e.Message);

        var wrongType = Specs.AllTypesRow("eu", 3, 3);
        wrongType[3] = "not a number";
        e = await Assert.ThrowsAsync<InvalidInputException>(() => client.WriteAsync(table, [Specs.Upsert(wrongType)]));
        Assert.Contains("'n'", e.Message);

        e = await Assert.ThrowsAsync<InvalidInputException>(() => client.WriteAsync(table, [Specs.Upsert(["eu", 1L])]));
        Assert.Contains("2 values", e.Message);

        Assert.Empty(await client.ListSnapshotsAsync(table));
        Assert.Null((await client.LookupAsync(table, ["eu", 1L])).Row);
    }

    [Fact]
    public async Task Errors_name_the_table_and_cross_the_wire_as_their_own_types()
    {
        var client = fixture.Client;
        await Assert.ThrowsAsync<TableNotFoundException>(() => client.WriteAsync("t.nope", [Specs.Upsert(["x"])]));
        await Assert.ThrowsAsync<TableNotFoundException>(() => client.DescribeAsync("t.nope"));
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => client.CreateTableAsync("../etc.passwd", Specs.AllTypes(1)));
        Assert.Contains("Invalid", e.Message);
        var table = Specs.NewTable("dup");
        await client.CreateTableAsync(table, Specs.AllTypes(1));
        await Assert.ThrowsAsync<TableAlreadyExistsException>(() => client.CreateTableAsync(table, Specs.AllTypes(1)));
        e = await Assert.ThrowsAsync<InvalidInputException>(() => client.CreateTableAsync(Specs.NewTable("badtype"), Specs.Table("a UUID", [], [], 1)));
        Assert.Contains("UUID", e.Message);
    }

    [Fact]
    public void Whether_a_retry_can_help_is_decided_where_the_error_is_raised_and_survives_the_wire()
    {
        Assert.True(new WriteNotCommittedException("lost", new IOException("silo died")).IsRetryable);
        Assert.False(new WriteNotCommittedException("bad", new InvalidInputException("bad row")).IsRetryable);
        Assert.False(new WriteNotCommittedException("conflict", new CommitConflictException("overwrite outside its partitions")).IsRetryable);
        Assert.True(new WriteOutcomeUnknownException("lost reply").IsRetryable);
        Assert.False(new CommitConflictException("rescale in progress").IsRetryable);

        // Orleans rebuilds exceptions on the client without their constructors: the decision travels in Data.
        var serializer = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Orleans.Serialization.Serializer>(fixture.Cluster.Client.ServiceProvider);
        var dropped = new WriteNotCommittedException("table dropped").WithRetryable(false);
        var received = Assert.IsType<WriteNotCommittedException>(serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(dropped)));
        Assert.False(received.IsRetryable);
        var wrapped = serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(new WriteNotCommittedException("bad", new InvalidInputException("bad row"))));
        Assert.False(Assert.IsType<WriteNotCommittedException>(wrapped).IsRetryable);
    }

    [Fact]
    public async Task A_retried_write_id_is_committed_once()
    {
        var client = fixture.Client;
        var table = Specs.NewTable("retry");
        await client.CreateTableAsync(table, Specs.Table("id BIGINT, s STRING", [], [], 2));
        var rows = new[] { new ChangeRow(RowKind.Insert, [1L, "a"]), new ChangeRow(RowKind.Insert, [2L, "b"]) };
        var first = await client.WriteAsync(table, rows, new WriteIdentity("write", 1));
        var again = await client.WriteAsync(table, rows.Select(r => r with { Values = (object?[])r.Values.Clone() }).ToList(), new WriteIdentity("write", 1));
        Assert.True(again!.AlreadyCommitted);
        Assert.Equal(first!.SnapshotId, again.SnapshotId);
        var scan = await client.ScanAsync(table, new ScanOptions());
        int count = 0;
        await foreach (var _ in scan.Rows) count++;
        Assert.Equal(2, count);
        // The wire checks write ids itself: they name files and log lines.
        var badId = new WriteRequest("bad id with spaces", RowBatchCodec.Encode([], [], ["id", "s"]));
        await Assert.ThrowsAsync<InvalidInputException>(() => fixture.Cluster.GrainFactory.GetGrain<ITableGrain>(table).WriteAsync(badId));
    }

    [Fact]
    public async Task Tags_name_snapshots_across_the_cluster()
    {
        var client = fixture.Client;
        var table = Specs.NewTable("tags");
        await client.CreateTableAsync(table, Specs.AllTypes(2));
        var first = await client.WriteAsync(table, [Specs.Upsert(Specs.AllTypesRow("eu", 1, 1))]);
        await client.CreateTagAsync(table, "first");
        await client.WriteAsync(table, [Specs.Upsert(Specs.AllTypesRow("eu", 2, 2))]);
        var tags = await client.ListTagsAsync(table);
        Assert.Equal(first!.SnapshotId, Assert.Single(tags).Snapshot.Id);
        var scan = await client.ScanAsync(table, new ScanOptions { Tag = "first" });
        int rows = 0;
        await foreach (var _ in scan.Rows) rows++;
        Assert.Equal(1, rows);
        await client.DeleteTagAsync(table, "first");
        await Assert.ThrowsAsync<SnapshotNotFoundException>(() => client.ScanAsync(table, new ScanOptions { Tag = "first" }));
    }

    [Fact]
    public async Task Bucket_writers_compact_in_the_background_and_maintenance_runs_on_the_cluster()
    {
        var client = fixture.Client;
        var table = Specs.NewTable("compact");
        await client.CreateTableAsync(table, Specs.Table("id BIGINT, v INT", ["id"], [], 1,
            new Dictionary<string, string> { ["num-sorted-run.compaction-trigger"] = "2" }));
        var model = new Dictionary<long, int>();
        for (int i = 0; i < 12; i++)
        {
            var rows = Enumerable.Range(0, 5).Select(k => new ChangeRow(RowKind.Insert, [(long)((i + k) % 7), i * 10 + k])).ToList();
            foreach (var r in rows) model[(long)r.Values[0]!] = (int)r.Values[1]!;
            await client.WriteAsync(table, rows);
        }
        // The bucket writer compacts after its batches; wait for its COMPACT snapshot (bounded, not timed).
        for (int poll = 0; poll < 600 && !(await client.ListSnapshotsAsync(table)).Any(s => s.CommitKind == Core.Manifest.CommitKind.Compact); poll++)
            await Task.Delay(50);
        Assert.Contains(await client.ListSnapshotsAsync(table), s => s.CommitKind == Core.Manifest.CommitKind.Compact);
        await AssertRowsAsync(client, table, model);

        // Null when background compaction already left one run without deletes: nothing to do then.
        var full = await client.CompactAsync(table, full: true);
        Assert.True(full.SnapshotId is null || full.FilesAfter <= full.FilesBefore);
        var expired = await client.ExpireAsync(table, new ExpireOptions(1));
        Assert.True(expired.SnapshotsExpired > 0);
        Assert.Single(await client.ListSnapshotsAsync(table));
        await AssertRowsAsync(client, table, model);
        var orphans = await client.CleanOrphansAsync(table, new OrphanCleanOptions(TimeSpan.FromDays(1), true));
        Assert.False(orphans.Deleted);
        Assert.Empty(orphans.Orphans);
    }

    [Fact]
    public async Task Overwrite_and_rescale_through_the_cluster()
    {
        var client = fixture.Client;
        var table = Specs.NewTable("overwrite");
        await client.CreateTableAsync(table, Specs.Table("id BIGINT, day DATE, v INT", ["id", "day"], ["day"], 2));
        var d1 = new DateOnly(2024, 5, 1);
        var d2 = new DateOnly(2024, 5, 2);
        await client.WriteAsync(table, [new ChangeRow(RowKind.Insert, [1L, d1, 1]), new ChangeRow(RowKind.Insert, [2L, d2, 2])]);
        var overwrite = await client.OverwriteAsync(table, [new ChangeRow(RowKind.Insert, [9L, d1, 9])], new Dictionary<string, string> { ["day"] = "2024-05-01" }, new WriteIdentity("overwrite", 1));
        var again = await client.OverwriteAsync(table, [new ChangeRow(RowKind.Insert, [9L, d1, 9])], new Dictionary<string, string> { ["day"] = "2024-05-01" }, new WriteIdentity("overwrite", 1));
        Assert.True(again!.AlreadyCommitted);
        Assert.Equal(overwrite!.SnapshotId, again.SnapshotId);
        await AssertRowsAsync(client, table, new Dictionary<long, int> { [9] = 9, [2] = 2 });

        var rescaled = await client.RescaleAsync(table, 3);
        Assert.Equal((2, 3), (rescaled.OldBuckets, rescaled.NewBuckets));
        await AssertRowsAsync(client, table, new Dictionary<long, int> { [9] = 9, [2] = 2 });
        // Writes after the rescale upsert the same keys: no duplicates.
        await client.WriteAsync(table, [new ChangeRow(RowKind.Insert, [2L, d2, 22]), new ChangeRow(RowKind.Insert, [9L, d1, 99])]);
        await AssertRowsAsync(client, table, new Dictionary<long, int> { [9] = 99, [2] = 22 });
        Assert.Equal(22, (await client.LookupAsync(table, [2L, d2])).Row![2]);
    }

    [Fact]
    public async Task A_rescale_made_outside_the_cluster_reaches_its_next_write()
    {
        // Every silo caches the table's schema (refreshed hourly in these tests); the rescale runs in this process,
        // like 'tablestore table rescale' in embedded mode. The next write must route for the new bucket count.
        var client = fixture.Client;
        var table = Specs.NewTable("rescale_outside");
        await client.CreateTableAsync(table, Specs.Table("id BIGINT, v INT", ["id"], [], 2));
        var model = new Dictionary<long, int>();
        for (int round = 0; round < 3; round++)
        {
            var rows = Enumerable.Range(0, 20).Select(i => new ChangeRow(RowKind.Insert, [(long)i, round * 100 + i])).ToList();
            foreach (var r in rows) model[(long)r.Values[0]!] = (int)r.Values[1]!;
            await client.WriteAsync(table, rows);
            if (round == 0)
            {
                var outcome = await Core.Table.TableRescale.RunAsync(new Core.Table.Catalog(Core.IO.ObjectStoreExtensions.OpenWarehouse(fixture.Warehouse)), Core.Table.Identifier.Parse(table), 3, null);
                Assert.Equal(3, outcome.NewBuckets);
            }
        }
        await AssertRowsAsync(client, table, model);
    }

    [Fact]
    public async Task A_batch_refuses_rows_routed_with_an_outdated_schema()
    {
        // Two table grains with different cached schemas may hand rows to one bucket writer for one batch; the
        // batch is written with one schema, and the rows routed with the older one are refused (then routed again).
        var client = fixture.Client;
        var table = Specs.NewTable("stale_route");
        var created = await client.CreateTableAsync(table, Specs.Table("id BIGINT, v INT", ["id"], [], 1));
        var altered = await client.AlterTableAsync(table, [new SchemaChange.AddColumn("w", DataType.Parse("INT"))]);
        Assert.True(altered.Id > created.Id);
        var bucket = fixture.Cluster.GrainFactory.GetGrain<Grains.Write.IBucketWriterGrain>(GrainKeys.Bucket(table, [], [], 0));
        await bucket.AppendAsync(new Grains.Write.BucketAppend("old-route", [], new Grains.Write.RowBatch([(byte)RowKind.Insert], [[1L, 1]]), created.Id));
        await bucket.AppendAsync(new Grains.Write.BucketAppend("new-route", [], new Grains.Write.RowBatch([(byte)RowKind.Insert], [[2L, 2, 2]]), altered.Id));
        var reply = await bucket.SealAsync(42, ["old-route", "new-route", "never-sent"]);
        await bucket.ReleaseAsync(42);
        Assert.Equal(["old-route"], reply.Stale);
        Assert.Equal(["never-sent"], reply.Missing);
    }

    [Fact]
    public async Task Concurrent_multi_page_scans_each_read_the_whole_table()
    {
        // Each scan's pages must come from the activation holding its enumerator, however many scans run at once
        // (the table grain's stateless-worker activations are interchangeable; scans have a grain each).
        var client = fixture.Client;
        var table = Specs.NewTable("scans");
        await client.CreateTableAsync(table, Specs.Table("id BIGINT, v INT", ["id"], [], 4));
        await client.WriteAsync(table, Enumerable.Range(0, 5000).Select(i => new ChangeRow(RowKind.Insert, [(long)i, i])).ToList());
        var counts = await Task.WhenAll(Enumerable.Range(0, 12).Select(async _ =>
        {
            var scan = await client.ScanAsync(table, new ScanOptions());
            long sum = 0, n = 0;
            await foreach (var r in scan.Rows)
            {
                sum += (long)r[0]!;
                n++;
                if (n % 1000 == 0) await Task.Yield(); // interleave the scans' page requests
            }
            return (n, sum);
        }));
        Assert.All(counts, c => Assert.Equal((5000L, 5000L * 4999 / 2), c));
    }

    [Fact]
    public async Task Scheduled_expiration_follows_the_table_options()
    {
        var client = fixture.Client;
        var table = Specs.NewTable("expire");
        await client.CreateTableAsync(table, Specs.Table("id BIGINT, v INT", ["id"], [], 1, new Dictionary<string, string>
        {
            ["snapshot.expire.interval"] = "1s", ["snapshot.num-retained.min"] = "2", ["snapshot.time-retained"] = "0s", ["write-only"] = "true",
        }));
        var model = new Dictionary<long, int>();
        for (int i = 0; i < 6; i++)
        {
            model[i] = i;
            await client.WriteAsync(table, [new ChangeRow(RowKind.Insert, [(long)i, i])]);
        }
        for (int poll = 0; poll < 600 && (await client.ListSnapshotsAsync(table)).Count > 2; poll++)
            await Task.Delay(50);
        Assert.Equal(2, (await client.ListSnapshotsAsync(table)).Count);
        await AssertRowsAsync(client, table, model);
    }

    private static async Task AssertRowsAsync(TableStore.Client.TableStoreClient client, string table, Dictionary<long, int> model)
    {
        var scan = await client.ScanAsync(table, new ScanOptions());
        var read = new Dictionary<long, int>();
        await foreach (var r in scan.Rows) read.Add((long)r[0]!, (int)r[^1]!);
        Assert.Equal(model.OrderBy(kv => kv.Key), read.OrderBy(kv => kv.Key));
    }

    [Fact]
    public async Task Alter_sets_options_and_drop_removes_the_table()
    {
        var client = fixture.Client;
        var table = Specs.NewTable("alter");
        await client.CreateTableAsync(table, Specs.AllTypes(1));
        var altered = await client.AlterTableAsync(table, [new SchemaChange.SetOption("target-file-size", "4 mb")]);
        Assert.Equal(1, altered.Id);
        Assert.Equal("4 mb", altered.Options["target-file-size"]);
        await Assert.ThrowsAsync<InvalidInputException>(() => client.AlterTableAsync(table, [new SchemaChange.SetOption("no-such-option", "1")]));
        await client.WriteAsync(table, [Specs.Upsert(Specs.AllTypesRow("eu", 1, 1))]);
        await client.DropTableAsync(table);
        Assert.DoesNotContain(table, await client.ListTablesAsync());
        await Assert.ThrowsAsync<TableNotFoundException>(() => client.DescribeAsync(table));
        await Assert.ThrowsAsync<TableNotFoundException>(() => client.DropTableAsync(table));
    }

    [Fact]
    public async Task An_ingestion_job_takes_secrets_only_as_environment_references_since_its_definition_is_stored_in_the_warehouse()
    {
        var client = fixture.Client;
        var table = Specs.NewTable("ingest_secret");
        await client.CreateTableAsync(table, Specs.Table("id BIGINT, v INT", ["id"], [], 1));
        IngestJobSpec Job(string password) => new("secret-job", table, "127.0.0.1:1", "events", "jsonl", null, "fail", null,
            new Dictionary<string, string> { ["security.protocol"] = "SASL_PLAINTEXT", ["sasl.mechanism"] = "PLAIN", ["sasl.username"] = "u", ["sasl.password"] = password });

        var plain = await Assert.ThrowsAsync<InvalidInputException>(() => client.StartIngestionAsync(Job("hunter2")));
        Assert.Contains("Kafka setting sasl.password of job 'secret-job' is a secret", plain.Message);
        Assert.Contains("-X sasl.password=env:VARIABLE", plain.Message);
        Assert.DoesNotContain("hunter2", plain.Message);
        var unset = await Assert.ThrowsAsync<InvalidInputException>(() => client.StartIngestionAsync(Job("env:TABLESTORE_TEST_UNSET_SECRET")));
        Assert.Contains("environment variable TABLESTORE_TEST_UNSET_SECRET", unset.Message);
        Assert.DoesNotContain(await client.ListIngestionsAsync(), j => j.Spec.Name == "secret-job");
    }

    [Fact]
    public async Task A_sql_query_runs_on_a_silo_over_pinned_snapshots_streams_its_rows_back_and_keeps_to_its_limits()
    {
        var client = fixture.Client;
        var table = Specs.NewTable("sql");
        await client.CreateTableAsync(table, Specs.Table("id BIGINT NOT NULL, v INT", ["id"], [], 2));
        var first = (await client.WriteAsync(table, [.. Enumerable.Range(0, 3000).Select(i => new ChangeRow(RowKind.Insert, [(long)i, i]))]))!.SnapshotId;
        await client.WriteAsync(table, [.. Enumerable.Range(0, 1000).Select(i => new ChangeRow(RowKind.Insert, [(long)i, i + 1]))]);
        await client.WriteAsync(table, [new ChangeRow(RowKind.Delete, [2999L, null])]);

        var totals = await client.QueryAsync($"SELECT count(*) AS n, sum(v) AS s FROM {table}");
        Assert.Equal(["n", "s"], totals.Columns.Select(c => c.Name));
        Assert.All(totals.Columns, c => Assert.True(c.IsNumber));
        var row = Assert.Single(await totals.Rows.ToListAsync());
        Assert.Equal((2999L, Enumerable.Range(0, 2999).Sum(i => (long)i) + 1000m), ((long)row[0]!, Convert.ToDecimal(row[1], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(totals.FilesRead > 0);

        // Many pages, in order; and time travel.
        var all = await (await client.QueryAsync($"SELECT id, v FROM {table} ORDER BY id")).Rows.ToListAsync();
        Assert.Equal(2999, all.Count);
        Assert.Equal(Enumerable.Range(0, 2999).Select(i => (long)i), all.Select(r => (long)r[0]!));
        Assert.Equal(1, (int)all[0][1]!);
        var (db, name) = (table[..table.IndexOf('.', StringComparison.Ordinal)], table[(table.IndexOf('.', StringComparison.Ordinal) + 1)..]);
        var old = Assert.Single(await (await client.QueryAsync($"SELECT count(*), sum(v) FROM {db}.\"{name}$snapshot_{first}\"")).Rows.ToListAsync());
        Assert.Equal(3000L, (long)old[0]!);

        // The query's own errors, the sandbox and the deadline come back as errors that say what happened.
        var syntax = await Assert.ThrowsAsync<InvalidInputException>(() => client.QueryAsync($"SELEC * FROM {table}"));
        Assert.Contains("LINE 1", syntax.Message);
        await Assert.ThrowsAsync<InvalidInputException>(() => client.QueryAsync("SELECT * FROM read_csv('/etc/passwd')"));
        var slow = await Assert.ThrowsAsync<TableStoreException>(() => client.QueryAsync("SELECT sum(a.range * b.range) FROM range(100000000) a, range(100000) b", timeout: TimeSpan.FromSeconds(1)));
        Assert.Contains("ran longer than its time limit (1 s", slow.Message);
        Assert.False(slow.IsRetryable);
    }
}
