using System.Collections.Concurrent;
using TableStore.Core.Data;
using TableStore.Core.IO;
using TableStore.Core.Manifest;
using TableStore.Core.Scan;
using TableStore.Core.Table;
using TableStore.Core.Tests.Support;

namespace TableStore.Core.Tests;

/// <summary>
/// Several independent committers (each its own catalog and caches, as separate processes would be) race on
/// one table. Every commit must land exactly once, snapshot ids must be contiguous, and the table must equal
/// the batches replayed in snapshot order, at every snapshot.
/// </summary>
public class ConcurrentCommitTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Theory]
    [InlineData("memory", 4, 8)]
    [InlineData("local", 4, 8)]
    [InlineData("local", 8, 4)]
    public async Task Racing_committers_each_land_exactly_once_in_a_serial_order(string storeKind, int writers, int commitsPerWriter)
    {
        using var dir = new TempDir();
        var shared = new InMemoryObjectStore();
        int stores = 0;
        IObjectStore NewStore() => new JitterObjectStore(storeKind == "memory" ? shared : new LocalFileSystemObjectStore(dir.Path), Interlocked.Increment(ref stores));
        var id = Identifier.Parse("db.race");
        await new Catalog(NewStore()).CreateTableAsync(id, TestTables.Orders(buckets: 2));

        var batches = new ConcurrentDictionary<(string, long), List<ChangeRow>>();
        int retried = 0;
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var random = new Random(w * 7919);
            var table = await new Catalog(NewStore()).GetTableAsync(id);
            var user = $"writer-{w}";
            for (long c = 1; c <= commitsPerWriter; c++)
            {
                // Overlapping keys across writers: the merge order must follow the commit order.
                var batch = Enumerable.Range(0, random.Next(1, 20)).Select(_ =>
                {
                    long key = random.Next(0, 30);
                    return random.Next(5) == 0
                        ? new ChangeRow(RowKind.Delete, [key, null, null, null])
                        : new ChangeRow(RowKind.Insert, [key, user, (decimal)c, $"{w}/{c}"]);
                }).ToList();
                batches[(user, c)] = batch;
                var result = await table.WriteAndCommitAsync(batch, new WriteOptions { CommitUser = user, CommitIdentifier = c });
                Assert.NotNull(result);
                Assert.False(result!.AlreadyCommitted);
                if (result.Attempts > 1) Interlocked.Increment(ref retried);
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        output.WriteLine($"{retried} commits lost at least one race and retried");

        var reader = await new Catalog(NewStore()).GetTableAsync(id);
        var snapshots = await reader.Snapshots.ListAsync();
        // Writers also compact the buckets they touch (COMPACT snapshots, racing each other and the writes).
        var appends = snapshots.Where(s => s.CommitKind == CommitKind.Append).ToList();
        Assert.Equal(writers * commitsPerWriter, appends.Count);
        Assert.Equal(Enumerable.Range(1, snapshots.Count).Select(i => (long)i), snapshots.Select(s => s.Id));
        Assert.Equal(appends.Count, appends.Select(s => (s.CommitUser, s.CommitIdentifier)).Distinct().Count());
        output.WriteLine($"{snapshots.Count - appends.Count} compactions");

        var model = new KeyedModel();
        foreach (var s in snapshots)
        {
            // A compaction changes files, never what a reader sees.
            if (s.CommitKind == CommitKind.Append)
                foreach (var row in batches[(s.CommitUser, s.CommitIdentifier)]) model.Apply(row);
            var rows = await (await reader.ScanAsync(new ScanOptions { SnapshotId = s.Id })).ToListAsync();
            KeyedModel.AssertSame(model.Rows, rows, $"snapshot {s.Id} by {s.CommitUser}/{s.CommitIdentifier}");
        }
    }

    [Fact]
    public async Task Sixteen_racing_put_if_absent_creates_have_exactly_one_winner()
    {
        using var dir = new TempDir();
        var store = new LocalFileSystemObjectStore(dir.Path);
        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            start.Wait();
            return await store.PutIfAbsentAsync("t/snapshot/snapshot-1", new[] { (byte)i });
        })).ToArray();
        start.Set();
        var results = await Task.WhenAll(tasks);
        Assert.Single(results, r => r);
        var winner = Array.IndexOf(results, true);
        Assert.Equal(new[] { (byte)winner }, await store.GetAsync("t/snapshot/snapshot-1"));
        Assert.Single(await store.ListAllAsync("t/"));
    }
}
