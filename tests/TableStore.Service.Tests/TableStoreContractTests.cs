using TableStore.Client;
using TableStore.Core;
using TableStore.Core.Api;
using TableStore.Core.Data;
using TableStore.Core.Maintenance;
using TableStore.Core.Manifest;
using TableStore.Core.Scan;
using TableStore.Core.Schema;
using TableStore.Core.Streaming;
using TableStore.Core.Table;
using TableStore.Service.Tests.Support;

namespace TableStore.Service.Tests;

/// <summary>
/// The contract of <see cref="ITableStore"/>: the same tests run against the embedded engine and against a cluster, so
/// an application (or a CLI command) sees the same results, the same errors and the same retry rules either way.
/// </summary>
public abstract class TableStoreContract
{
    protected abstract ITableStore Store { get; }

    /// <summary>The partition region=eu, as a selection.</summary>
    private static readonly Dictionary<string, string> EuOnly = new() { ["region"] = "eu" };

    private static readonly TableDefinition Sales = new(
        SchemaParser.ParseColumns("region STRING NOT NULL, id BIGINT NOT NULL, v BIGINT, note STRING"),
        PrimaryKeys: ["region", "id"], PartitionKeys: ["region"], Buckets: 2);

    private static ChangeRow Row(string region, long id, long? v, string? note = null, RowKind kind = RowKind.Insert) => new(kind, [region, id, v, note]);

    private async Task<Identifier> NewTableAsync(TableDefinition? definition = null)
    {
        var id = Identifier.Parse(Specs.NewTable("contract"));
        await Store.CreateTableAsync(id, definition ?? Sales, default);
        return id;
    }

    /// <summary>The rows, sorted by region and id (for the sales table) unless <paramref name="sorted"/> is false.</summary>
    private async Task<List<object?[]>> ScanAsync(Identifier id, ScanOptions? options = null, bool sorted = true)
    {
        var scan = await Store.ScanAsync(id, options ?? new ScanOptions(), default);
        var rows = new List<object?[]>();
        await foreach (var r in scan.Rows) rows.Add(r);
        return sorted ? [.. rows.OrderBy(r => (string)r[0]!, StringComparer.Ordinal).ThenBy(r => (long)r[1]!)] : rows;
    }

    [Fact]
    public async Task Tables_are_created_described_altered_listed_and_dropped()
    {
        var id = await NewTableAsync();
        Assert.Contains(id.FullName, await Store.ListTablesAsync(default));
        var (schema, latest) = await Store.DescribeAsync(id, default);
        Assert.Equal(["region", "id"], schema.PrimaryKeys.ToArray());
        Assert.Null(latest);
        await Assert.ThrowsAsync<TableAlreadyExistsException>(() => Store.CreateTableAsync(id, Sales, default));

        var altered = await Store.AlterTableAsync(id, [new SchemaChange.AddColumn("extra", DataType.Parse("INT")), new SchemaChange.SetOption(CoreOptions.WriteOnlyKey, "true")], default);
        Assert.Contains(altered.Fields, f => f.Name == "extra");
        Assert.Equal(altered.Id, (await Store.GetSchemaAsync(id, default)).Id);

        await Store.DropTableAsync(id, default);
        Assert.DoesNotContain(id.FullName, await Store.ListTablesAsync(default));
        await Assert.ThrowsAsync<TableNotFoundException>(() => Store.GetSchemaAsync(id, default));
    }

    [Fact]
    public async Task Writes_upsert_and_delete_by_key_and_every_snapshot_stays_readable()
    {
        var id = await NewTableAsync();
        var first = await Store.WriteAsync(id, [Row("eu", 1, 10), Row("eu", 2, 20), Row("us", 1, 30)], null, default);
        var second = await Store.WriteAsync(id, [Row("eu", 1, 11, "updated"), Row("us", 1, null, kind: RowKind.Delete)], null, default);
        Assert.NotNull(first);
        Assert.Equal(first!.SnapshotId + 1, second!.SnapshotId);

        Assert.Equal([["eu", 1L, 11L, "updated"], ["eu", 2L, 20L, null]], await ScanAsync(id));
        Assert.Equal(3, (await ScanAsync(id, new ScanOptions { SnapshotId = first.SnapshotId })).Count);
        Assert.Equal([["eu", 2L]], await ScanAsync(id, new ScanOptions { Columns = ["region", "id"], Filter = "v >= 20" }));
        var snapshots = await Store.ListSnapshotsAsync(id, default);
        Assert.Equal([first.SnapshotId, second.SnapshotId], snapshots.Select(s => s.Id));
        Assert.Null(await Store.WriteAsync(id, [], null, default)); // nothing to commit
    }

    [Fact]
    public async Task A_write_sent_again_with_its_identity_is_recognised_and_not_applied_twice()
    {
        var id = await NewTableAsync(new TableDefinition(SchemaParser.ParseColumns("k BIGINT, v BIGINT"), Buckets: 1)); // append-only: a second apply would show
        var identity = new WriteIdentity("loader", 7);
        var first = await Store.WriteAsync(id, [new ChangeRow(RowKind.Insert, [1L, 1L])], identity, default);
        var again = await Store.WriteAsync(id, [new ChangeRow(RowKind.Insert, [1L, 1L])], identity, default);
        Assert.False(first!.AlreadyCommitted);
        Assert.True(again!.AlreadyCommitted);
        Assert.Equal(first.SnapshotId, again.SnapshotId);
        Assert.Single(await ScanAsync(id, sorted: false));
    }

    private static async IAsyncEnumerable<IReadOnlyList<ChangeRow>> Generated(int rows, int batch, string note, bool badLast = false)
    {
        for (int i = 0; i < rows; i += batch)
        {
            await Task.Yield();
            yield return [.. Enumerable.Range(i, Math.Min(batch, rows - i)).Select(k => Row(k % 2 == 0 ? "eu" : "us", k, k, note))];
        }
        if (badLast) yield return [Row("eu", 1, null) with { Values = ["eu", "not a number", 1L, null] }];
    }

    [Fact]
    public async Task A_streamed_write_of_many_batches_commits_once_and_a_rerun_with_its_identity_commits_nothing_twice()
    {
        // About 9 MB encoded: more than one upload part through the cluster, several batches embedded.
        var id = await NewTableAsync();
        var note = new string('n', 24);
        var identity = new WriteIdentity("bulk", 1);
        var first = await Store.WriteAsync(id, RowSource.Replayable(_ => Generated(200_000, 5_000, note), "generated"), identity, null, default);
        Assert.NotNull(first);
        Assert.False(first!.AlreadyCommitted);
        var again = await Store.WriteAsync(id, RowSource.Once(Generated(200_000, 5_000, "other"), "generated again"), identity, null, default);
        Assert.True(again!.AlreadyCommitted);
        Assert.Equal(first.SnapshotId, again.SnapshotId);
        var rows = await ScanAsync(id);
        Assert.Equal(200_000, rows.Count);
        Assert.All(rows, r => Assert.Equal(note, r[3]));

        var e = await Assert.ThrowsAsync<InvalidInputException>(() => Store.WriteAsync(id, RowSource.Once(Generated(50_000, 5_000, "late", badLast: true), "bad"), null, null, default));
        Assert.Contains("not a number", e.Message);
        Assert.Equal([first.SnapshotId], (await Store.ListSnapshotsAsync(id, default)).Where(s => s.CommitKind == CommitKind.Append).Select(s => s.Id));
    }

    [Fact]
    public async Task An_overwrite_of_a_partition_replaces_only_that_partition()
    {
        var id = await NewTableAsync();
        await Store.WriteAsync(id, [Row("eu", 1, 10), Row("us", 1, 30)], null, default);
        await Store.OverwriteAsync(id, [Row("eu", 5, 50)], EuOnly, null, default);
        Assert.Equal([["eu", 5L, 50L, null], ["us", 1L, 30L, null]], await ScanAsync(id));
        await Assert.ThrowsAsync<InvalidInputException>(() => Store.OverwriteAsync(id, [Row("us", 9, 90)], EuOnly, null, default));
    }

    [Fact]
    public async Task A_streamed_overwrite_of_any_size_replaces_the_partition_once_and_a_rerun_commits_nothing_twice()
    {
        // About 9 MB encoded: uploaded in parts through the cluster and committed as one overwrite.
        var id = await NewTableAsync();
        await Store.WriteAsync(id, [Row("eu", -1, 10), Row("us", -1, 30), Row("us", 1, 31)], null, default);
        var identity = new WriteIdentity("reload", 1);
        var eu = Generated(200_000, 5_000, "new").Select(b => (IReadOnlyList<ChangeRow>)b.Where(r => (string)r.Values[0]! == "eu").ToList());
        var first = await Store.OverwriteAsync(id, RowSource.Replayable(_ => eu, "generated"), EuOnly, identity, null, default);
        Assert.False(first!.AlreadyCommitted);
        var again = await Store.OverwriteAsync(id, RowSource.Once(eu, "generated again"), EuOnly, identity, null, default);
        Assert.True(again!.AlreadyCommitted);
        Assert.Equal(first.SnapshotId, again.SnapshotId);
        var rows = await ScanAsync(id);
        Assert.Equal(100_000 + 2, rows.Count);
        Assert.Equal(100_000, rows.Count(r => (string)r[0]! == "eu" && (string?)r[3] == "new"));
        Assert.Equal([["us", -1L, 30L, null], ["us", 1L, 31L, null]], rows.Where(r => (string)r[0]! == "us"));

        // A row outside the partition: refused, and the table is as it was.
        var stray = Generated(50_000, 5_000, "stray");
        await Assert.ThrowsAsync<InvalidInputException>(() => Store.OverwriteAsync(id, RowSource.Once(stray, "stray"), EuOnly, null, null, default));
        Assert.Equal(rows, await ScanAsync(id));
    }

    [Fact]
    public async Task Lookups_find_the_latest_row_or_the_row_at_a_snapshot()
    {
        var id = await NewTableAsync();
        var first = await Store.WriteAsync(id, [Row("eu", 1, 10)], null, default);
        var second = await Store.WriteAsync(id, [Row("eu", 1, 11)], null, default);
        Assert.Equal(["eu", 1L, 11L, null], (await Store.LookupAsync(id, ["eu", 1L], null, default)).Row);
        var old = await Store.LookupAsync(id, ["eu", 1L], first!.SnapshotId, default);
        Assert.Equal((first.SnapshotId, 10L), (old!.SnapshotId, (long)old.Row![2]!));
        var missing = await Store.LookupAsync(id, ["us", 1L], null, default);
        Assert.Equal((second!.SnapshotId, null), (missing!.SnapshotId, missing.Row));
    }

    [Fact]
    public async Task Tags_pin_a_snapshot_that_scans_can_read_by_name()
    {
        var id = await NewTableAsync();
        var first = await Store.WriteAsync(id, [Row("eu", 1, 10)], null, default);
        await Store.WriteAsync(id, [Row("eu", 2, 20)], null, default);
        var tag = await Store.CreateTagAsync(id, "v1", first!.SnapshotId, default);
        Assert.Equal(first.SnapshotId, tag.Snapshot.Id);
        Assert.Equal(["v1"], (await Store.ListTagsAsync(id, default)).Select(t => t.Name));
        Assert.Single(await ScanAsync(id, new ScanOptions { Tag = "v1" }));
        await Store.DeleteTagAsync(id, "v1", default);
        Assert.Empty(await Store.ListTagsAsync(id, default));
    }

    [Fact]
    public async Task A_stream_from_earliest_delivers_every_snapshot_in_order_and_a_consumer_records_progress()
    {
        var id = await NewTableAsync();
        var snapshots = new List<long>();
        for (int i = 0; i < 3; i++) snapshots.Add((await Store.WriteAsync(id, [Row("eu", i, i)], null, default))!.SnapshotId);
        var received = new List<ChangeBatch>();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var options = new StreamingOptions { Start = StreamStart.Parse("earliest"), ConsumerId = "reader", IdleTimeout = TimeSpan.FromSeconds(2) };
        await foreach (var batch in Store.StreamAsync(id, options, cts.Token)) received.Add(batch);
        Assert.Equal(snapshots, received.Select(b => b.SnapshotId));
        Assert.Equal([1, 1, 1], received.Select(b => b.Rows.Count));

        // The consumer moved past the batches it finished; set and drop are explicit.
        var consumer = Assert.Single(await Store.ListConsumersAsync(id, default));
        Assert.Equal("reader", consumer.Id);
        Assert.InRange(consumer.NextSnapshot, snapshots[^1], snapshots[^1] + 1);
        await Store.SetConsumerAsync(id, "reader", snapshots[^1] + 1, default);
        await Store.DropConsumerAsync(id, "reader", default);
        Assert.Empty(await Store.ListConsumersAsync(id, default));
    }

    [Fact]
    public async Task Maintenance_compacts_rescales_expires_and_finds_no_orphans_in_a_healthy_table()
    {
        var id = await NewTableAsync();
        for (int i = 0; i < 4; i++) await Store.WriteAsync(id, [Row("eu", i, i), Row("us", i, i)], null, default);
        var before = await ScanAsync(id);

        var compacted = await Store.CompactAsync(id, full: true, null, null, default);
        Assert.NotNull(compacted);
        Assert.True(compacted.FilesAfter < compacted.FilesBefore);
        var rescaled = await Store.RescaleAsync(id, 4, null, default);
        Assert.Equal((2, 4), (rescaled.OldBuckets, rescaled.NewBuckets));
        Assert.Equal(4, (await Store.GetSchemaAsync(id, default)).BucketCount);
        var expired = await Store.ExpireAsync(id, new ExpireOptions(RetainLast: 1), default);
        Assert.True(expired.SnapshotsExpired > 0);
        Assert.Empty((await Store.CleanOrphansAsync(id, new OrphanCleanOptions(TimeSpan.Zero, DryRun: true), default)).Orphans);
        Assert.Equal(before, await ScanAsync(id));
    }

    [Fact]
    public async Task Bad_input_and_missing_tables_fail_with_clear_errors_that_are_not_retryable()
    {
        var id = await NewTableAsync();
        var badValue = await Assert.ThrowsAsync<InvalidInputException>(() => Store.WriteAsync(id, [new ChangeRow(RowKind.Insert, ["eu", "not a number", 1L, null])], null, default));
        Assert.Contains("id", badValue.Message);
        var nullKey = await Assert.ThrowsAsync<InvalidInputException>(() => Store.WriteAsync(id, [Row("eu", 1, 1), new ChangeRow(RowKind.Insert, [null, 2L, 2L, null])], null, default));
        Assert.Contains("region", nullKey.Message);
        Assert.Empty(await ScanAsync(id)); // nothing of a refused write is visible
        await Assert.ThrowsAsync<InvalidInputException>(() => Store.ScanAsync(id, new ScanOptions { Columns = ["nope"] }, default));

        var missing = Identifier.Parse("t.never_created");
        var e = await Assert.ThrowsAsync<TableNotFoundException>(() => Store.WriteAsync(missing, [Row("eu", 1, 1)], null, default));
        Assert.False(e.IsRetryable);
        Assert.False(badValue.IsRetryable);
    }
}

public sealed class EmbeddedTableStoreContractTests : TableStoreContract, IAsyncLifetime
{
    private readonly string _warehouse = Path.Combine(Path.GetTempPath(), "ts-contract-" + Guid.NewGuid().ToString("N")[..8]);

    protected override ITableStore Store => Embedded;

    private EmbeddedTableStore Embedded { get; set; } = null!;

    public Task InitializeAsync()
    {
        Embedded = new EmbeddedTableStore(_warehouse);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Embedded.DisposeAsync();
        try { Directory.Delete(_warehouse, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }
}

[Collection(ThreeSiloCollection.Name)]
public sealed class ClusterTableStoreContractTests(ThreeSiloCluster cluster) : TableStoreContract
{
    protected override ITableStore Store { get; } = cluster.Client;
}
