using TableStore.Core.Data;
using TableStore.Core.IO;
using TableStore.Core.Scan;
using TableStore.Core.Tests.Support;

namespace TableStore.Core.Tests;

public class SmokeTests
{
    [Fact]
    public async Task Upsert_delete_and_time_travel()
    {
        var store = new InMemoryObjectStore();
        var table = await TestTables.CreateAsync(store, TestTables.Orders());
        var r1 = await table.WriteAndCommitAsync([
            new ChangeRow(RowKind.Insert, [1L, "ann", 10.5m, null]),
            new ChangeRow(RowKind.Insert, [2L, "bob", 3m, "x"]),
        ]);
        var r2 = await table.WriteAndCommitAsync([
            new ChangeRow(RowKind.UpdateAfter, [1L, "ann", 11m, "upd"]),
            new ChangeRow(RowKind.Delete, [2L, null, null, null]),
        ]);
        Assert.Equal(1, r1!.SnapshotId);
        Assert.Equal(2, r2!.SnapshotId);
        var now = await (await table.ScanAsync(new ScanOptions())).ToListAsync();
        Assert.Single(now);
        Assert.Equal(11m, now[0][2]);
        var before = await (await table.ScanAsync(new ScanOptions { SnapshotId = 1 })).ToListAsync();
        Assert.Equal(2, before.Count);
        var filtered = await (await table.ScanAsync(new ScanOptions { SnapshotId = 1, Filter = "amount > 5", Columns = ["customer"] })).ToListAsync();
        Assert.Equal("ann", Assert.Single(filtered)[0]);
    }
}

public class ScanLifetimeTests
{
    /// <summary>Fails every data-file open in one bucket, as a broken disk would.</summary>
    private sealed class BrokenBucketStore(IObjectStore inner, string bucket) : IObjectStore
    {
        public string Location => inner.Location;
        public Task<Stream> OpenReadAsync(string path, CancellationToken ct = default) =>
            path.Contains(bucket) ? Task.FromException<Stream>(new IOException($"EIO reading {path}")) : inner.OpenReadAsync(path, ct);
        public Task<byte[]> GetAsync(string path, CancellationToken ct = default) => inner.GetAsync(path, ct);
        public Task<byte[]> GetRangeAsync(string path, long offset, int length, CancellationToken ct = default) => inner.GetRangeAsync(path, offset, length, ct);
        public Task PutAsync(string path, ReadOnlyMemory<byte> data, CancellationToken ct = default) => inner.PutAsync(path, data, ct);
        public Task<bool> PutIfAbsentAsync(string path, ReadOnlyMemory<byte> data, CancellationToken ct = default) => inner.PutIfAbsentAsync(path, data, ct);
        public IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken ct = default) => inner.ListAsync(prefix, ct);
        public Task DeleteAsync(string path, CancellationToken ct = default) => inner.DeleteAsync(path, ct);
        public Task<bool> ExistsAsync(string path, CancellationToken ct = default) => inner.ExistsAsync(path, ct);
    }

    [Fact]
    public async Task A_failing_read_ahead_fails_only_a_scan_that_reaches_it()
    {
        var inner = new InMemoryObjectStore();
        await (await TestTables.CreateAsync(inner, TestTables.Orders(buckets: 4)))
            .WriteAndCommitAsync(Enumerable.Range(0, 200).Select(i => new ChangeRow(RowKind.Insert, [(long)i, $"c{i}", 1m, null])).ToList());
        var table = await new TableStore.Core.Table.Catalog(new BrokenBucketStore(inner, "bucket-1/")).GetTableAsync(TableStore.Core.Table.Identifier.Parse("db.t"));
        Assert.Single(await (await table.ScanAsync(new ScanOptions { Limit = 1 })).ToListAsync());
        var e = await Assert.ThrowsAsync<IOException>(async () => await (await table.ScanAsync(new ScanOptions())).ToListAsync());
        Assert.Contains("bucket-1/", e.Message);
    }

    [Fact]
    public async Task Rows_stay_valid_after_their_scan_ends_and_buffers_are_reused()
    {
        var table = await TestTables.CreateAsync(new InMemoryObjectStore(), TestTables.Orders(buckets: 4));
        await table.WriteAndCommitAsync(Enumerable.Range(0, 2000).Select(i => new ChangeRow(RowKind.Insert, [(long)i, $"c{i}", (decimal)i, i % 3 == 0 ? null : $"n{i}"])).ToList());
        var first = await (await table.ScanAsync(new ScanOptions { Limit = 25 })).ToListAsync();
        var snapshot = first.Select(r => string.Join("|", r.Select(Values.Format))).ToList();
        // Another scan reuses the pooled column buffers the first one returned.
        var all = await (await table.ScanAsync(new ScanOptions { Columns = ["note", "id"] })).ToListAsync();
        Assert.Equal(2000, all.Count);
        Assert.Equal(snapshot, first.Select(r => string.Join("|", r.Select(Values.Format))).ToList());
        Assert.All(all, r => Assert.Equal((long)r[1]! % 3 == 0 ? null : $"n{r[1]}", r[0]));
    }
}
