using TableStore.Core.Data;
using TableStore.Core.Maintenance;
using TableStore.Core.Schema;
using TableStore.Core.Streaming;
using TableStore.Core.Table;
using TableStore.Core.Tests.Support;

namespace TableStore.Core.Tests;

/// <summary>
/// The engine rules the service delegates to: catch-up paging (what a subscriber reads from the lake), where a
/// subscription starts for a consumer, and where a row is routed. Each is checked here without a cluster.
/// </summary>
public sealed class CatchUpAndRoutingTests
{
    private static async Task<FileStoreTable> TableWithCommitsAsync(int commits, int rowsPerCommit = 3)
    {
        var table = await TestTables.CreateAsync(new InMemoryObjectStore(), new TableDefinition(
            SchemaParser.ParseColumns("id BIGINT, note STRING"), ["id"], [], 2, new Dictionary<string, string>()));
        for (int c = 0; c < commits; c++)
            await table.WriteAndCommitAsync(Enumerable.Range(0, rowsPerCommit).Select(i => new ChangeRow(RowKind.Insert, [(long)(c * 100 + i), new string('x', 100)])).ToList());
        return table;
    }

    [Fact]
    public async Task Pages_cover_every_snapshot_once_in_order_bounded_by_count_and_by_size()
    {
        var table = await TableWithCommitsAsync(7);
        var seen = new List<long>();
        long from = 1;
        for (int pages = 0; ; pages++)
        {
            Assert.True(pages < 20, "paging does not advance");
            var page = await new CatchUpReader(table).ReadAsync(from, maxSnapshots: 3, maxBytes: long.MaxValue);
            Assert.True(page.Batches.Count <= 3);
            seen.AddRange(page.Batches.Select(b => b.SnapshotId));
            from += page.Batches.Count;
            if (page.ReachedLatest) break;
        }
        var ids = await table.Snapshots.ListIdsAsync(); // the commits, and the compactions they triggered
        Assert.Equal(ids, seen);

        // A byte bound smaller than one snapshot still returns one snapshot per page: every page makes progress.
        var small = await new CatchUpReader(table).ReadAsync(1, maxSnapshots: 100, maxBytes: 1);
        Assert.Equal([1L], small.Batches.Select(b => b.SnapshotId));
        Assert.False(small.ReachedLatest);
        Assert.Equal(ids.Count, small.Behind); // counted up to the latest snapshot
        var rest = await new CatchUpReader(table).ReadAsync(ids[^1] + 1, maxSnapshots: 100, maxBytes: long.MaxValue);
        Assert.Empty(rest.Batches);
        Assert.True(rest.ReachedLatest);
    }

    [Fact]
    public async Task A_page_from_an_expired_snapshot_is_an_error_not_a_gap()
    {
        var table = await TableWithCommitsAsync(5);
        await new SnapshotExpiration(table).RunAsync(new ExpireOptions(2));
        var e = await Assert.ThrowsAsync<SnapshotNotFoundException>(() => new CatchUpReader(table).ReadAsync(1, 10, long.MaxValue));
        Assert.Contains($"snapshot 1 expired before it was delivered (the earliest retained is {await table.Snapshots.EarliestIdAsync()})", e.Message);
    }

    [Fact]
    public async Task A_consumer_resumes_where_it_stopped_and_a_new_one_is_recorded_once_it_has_a_position()
    {
        var table = await TableWithCommitsAsync(3);
        var reader = new StreamingReader(table);

        // Latest: nothing whole first, so the new consumer is recorded at once.
        var (full, next) = await reader.StartAsync(StreamStart.Latest, "a");
        Assert.Null(full);
        Assert.Equal(4, next);
        Assert.Equal(4, (await table.Consumers.TryGetAsync("a"))!.NextSnapshot);

        // Earliest delivers a whole snapshot first: the consumer is recorded only after that (by the caller).
        (full, next) = await reader.StartAsync(StreamStart.Parse("earliest"), "b");
        Assert.Equal(1, full!.Id);
        Assert.Equal(2, next);
        Assert.Null(await table.Consumers.TryGetAsync("b"));

        // A consumer with progress resumes there, whatever the start says.
        await table.Consumers.SetAsync("b", 3);
        (full, next) = await reader.StartAsync(StreamStart.Parse("earliest"), "b");
        Assert.Null(full);
        Assert.Equal(3, next);
    }

    [Fact]
    public async Task The_router_sends_each_row_to_the_bucket_and_partition_the_embedded_writer_stores_it_in()
    {
        var table = await TestTables.CreateAsync(new InMemoryObjectStore(), new TableDefinition(
            SchemaParser.ParseColumns("id BIGINT, region STRING NOT NULL, v INT"), ["id", "region"], ["region"], 4, new Dictionary<string, string>()));
        var rows = Enumerable.Range(0, 200).Select(i => new ChangeRow(RowKind.Insert, [(long)i, i % 3 == 0 ? "eu" : "us", i])).ToList();
        var router = new WriteRouter(table.Schema);
        var expected = rows.ToDictionary(r => (long)r.Values[0]!, r =>
        {
            var routed = router.Route(r.Kind, (object?[])r.Values.Clone());
            return ((string)routed.Partition[0]!, routed.Bucket);
        });
        await table.WriteAndCommitAsync(rows);

        var snapshot = (await table.Snapshots.LatestAsync())!;
        var files = await table.Manifests.ReadLiveFilesAsync(snapshot.BaseManifestList, null);
        var reader = new TableStore.Core.Format.DataFileReader(table.Store, table.Paths, table.Schema, table.Schemas);
        var stored = new Dictionary<long, (string, int)>();
        foreach (var f in files)
        {
            using var batch = await reader.ReadBatchAsync(f.Partition, f.Bucket, f.File, null);
            for (int i = 0; i < batch.RowCount; i++) stored[(long)batch.Row(i)[0]!] = ((string)f.Partition[0]!, f.Bucket);
        }
        Assert.Equal(expected.OrderBy(kv => kv.Key), stored.OrderBy(kv => kv.Key));

        // The bucket function is part of the file format (docs/file-format.md §12): its published test vectors.
        var routedOne = router.Route(RowKind.Insert, [1L, "eu", 7]);
        Assert.Equal(["eu"], routedOne.Partition);
        Assert.Equal(1, routedOne.Bucket);
        var pair = await TestTables.CreateAsync(new InMemoryObjectStore(), new TableDefinition(
            SchemaParser.ParseColumns("id BIGINT, s STRING NOT NULL"), ["id", "s"], [], 16, new Dictionary<string, string>()), "db.pair");
        Assert.Equal(6, new WriteRouter(pair.Schema).Route(RowKind.Insert, [42L, "x"]).Bucket);

        // Bad rows fail with the column named, before any routing.
        var e = Assert.Throws<InvalidInputException>(() => router.Route(RowKind.Insert, [1L, null, 1]));
        Assert.Contains("region", e.Message);
    }
}
