using TableStore.Core.Data;
using TableStore.Core.IO;
using TableStore.Core.Manifest;
using TableStore.Core.Scan;
using TableStore.Core.Schema;
using TableStore.Core.Table;

namespace TableStore.Core.Tests.Support;

/// <summary>
/// The engine on a cloud store behind <see cref="HttpFaultProxy"/>: server errors, throttling, latency, connections
/// reset mid-upload and replies lost after the server applied a request. No acknowledged commit may be lost, none
/// may land twice, and when retries run out the error says what failed and a later commit still succeeds.
/// Written once; each store supplies its server and its throttling reply.
/// </summary>
public abstract class StoreFaultTests
{
    /// <summary>The real server (Azurite, radosgw) the proxy forwards to.</summary>
    protected abstract Uri Upstream { get; }

    /// <summary>A store on <paramref name="container"/> through <paramref name="proxy"/> (directly to the server when null).</summary>
    protected abstract IObjectStore NewStore(string container, HttpFaultProxy? proxy, int? maxRetries = null, TimeSpan? timeout = null, int? readBlockSize = null);

    /// <summary>The store's throttling reply (S3: 503 SlowDown; Azure: 503 ServerBusy).</summary>
    protected abstract HttpFault Throttle();

    /// <summary>What marks a part (block) upload in a request target; the stores under test upload above 5 MiB in parts.</summary>
    protected abstract string PartMarker { get; }

    /// <summary>Store options for these tests: uploads above 5 MiB (S3's smallest part) go in parts.</summary>
    protected static ObjectStoreOptions Store(int? maxRetries, TimeSpan? timeout, int? readBlockSize)
    {
        var options = new ObjectStoreOptions { UploadPartSize = 5 << 20 };
        if (maxRetries is { } r) options.MaxRetries = r;
        if (timeout is { } t) options.RequestTimeout = t;
        if (readBlockSize is { } b) options.ReadBlockSize = b;
        return options;
    }

    private static string NewContainer() => "f" + Guid.NewGuid().ToString("N")[..20];

    private static List<ChangeRow> RandomRows(Random random) => Enumerable.Range(0, random.Next(1, 15)).Select(_ =>
    {
        long id = random.Next(40);
        return random.Next(5) == 0 ? new ChangeRow(RowKind.Delete, [id, null, null, null]) : new ChangeRow(RowKind.Insert, [id, "c" + random.Next(9), (decimal)random.Next(1000) / 10, null]);
    }).ToList();

    [Fact]
    public async Task Transient_errors_throttling_latency_and_lost_replies_lose_and_duplicate_nothing()
    {
        await using var proxy = new HttpFaultProxy(Upstream);
        var container = NewContainer();
        var table = await TestTables.CreateAsync(NewStore(container, proxy), TestTables.Orders(2, new Dictionary<string, string> { [CoreOptions.CompactionTriggerKey] = "3" }));
        var faults = new Random(17);
        proxy.Policy = r =>
        {
            double x;
            lock (faults) x = faults.NextDouble();
            bool upload = r.Method == "PUT" && r.ContentLength > 0;
            return x switch
            {
                < 0.04 => HttpFault.InternalError(),
                < 0.08 => Throttle(),
                < 0.11 => new HttpFault.Delay(TimeSpan.FromMilliseconds(300)),
                < 0.15 when upload => new HttpFault.DropMidUpload(),
                < 0.19 when upload => new HttpFault.ApplyThenDrop(),
                _ => HttpFault.None,
            };
        };

        var model = new KeyedModel();
        var history = new List<(long Snapshot, Dictionary<long, object?[]> State)>();
        var random = new Random(5);
        for (int c = 1; c <= 12; c++)
        {
            var rows = RandomRows(random);
            foreach (var r in rows) model.Apply(new ChangeRow(r.Kind, (object?[])r.Values.Clone()));
            var result = await table.WriteAndCommitAsync(rows, new WriteOptions { CommitUser = "faults", CommitIdentifier = c });
            history.Add((result!.SnapshotId, model.Copy()));
        }
        proxy.Policy = _ => HttpFault.None;
        var injected = proxy.Injected;
        foreach (var kind in new[] { "Reply", "Delay", "DropMidUpload", "ApplyThenDrop" })
            Assert.True(injected.GetValueOrDefault(kind) > 0, $"no {kind} fault was injected: {string.Join(", ", injected)}");

        // Read through a client that never saw a fault.
        var reader = await new Catalog(NewStore(container, proxy: null)).GetTableAsync(Identifier.Parse("db.t"));
        KeyedModel.AssertSame(model.Rows, await (await reader.ScanAsync(new ScanOptions())).ToListAsync(), "latest after faults");
        foreach (var (id, state) in history)
            KeyedModel.AssertSame(state, await (await reader.ScanAsync(new ScanOptions { SnapshotId = id })).ToListAsync(), $"snapshot {id} after faults");
        var appends = (await reader.Snapshots.ListAsync()).Where(s => s.CommitKind == CommitKind.Append).ToList();
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), appends.Select(s => s.CommitIdentifier).Order());
    }

    [Fact]
    public async Task Snapshot_creates_whose_reply_is_lost_or_times_out_commit_exactly_once()
    {
        await using var proxy = new HttpFaultProxy(Upstream);
        var container = NewContainer();
        // A short attempt timeout, so a held reply times out on the client while the server has applied the create.
        var table = await TestTables.CreateAsync(NewStore(container, proxy, timeout: TimeSpan.FromSeconds(1)),
            TestTables.Orders(2, new Dictionary<string, string> { [CoreOptions.WriteOnlyKey] = "true" }));
        var firstTry = new HashSet<string>();
        proxy.Policy = r =>
        {
            if (r.Method != "PUT" || !r.Target.Contains("/snapshot/snapshot-", StringComparison.Ordinal)) return HttpFault.None;
            lock (firstTry)
                if (!firstTry.Add(r.Target)) return HttpFault.None;
            // Every create is applied and its reply lost: half reset at once, half held past the client's timeout.
            return new HttpFault.ApplyThenDrop(firstTry.Count % 2 == 0 ? TimeSpan.FromSeconds(3) : TimeSpan.Zero);
        };
        var model = new KeyedModel();
        var random = new Random(3);
        var ids = new List<long>();
        for (int c = 1; c <= 6; c++)
        {
            var rows = RandomRows(random);
            foreach (var r in rows) model.Apply(new ChangeRow(r.Kind, (object?[])r.Values.Clone()));
            var result = await table.WriteAndCommitAsync(rows, new WriteOptions { CommitUser = "lost-replies", CommitIdentifier = c });
            ids.Add(result!.SnapshotId);
        }
        Assert.Equal(6, proxy.Injected.GetValueOrDefault("ApplyThenDrop"));
        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), ids);
        var reader = await new Catalog(NewStore(container, proxy: null)).GetTableAsync(Identifier.Parse("db.t"));
        Assert.Equal(ids, (await reader.Snapshots.ListAsync()).Select(s => s.Id));
        KeyedModel.AssertSame(model.Rows, await (await reader.ScanAsync(new ScanOptions())).ToListAsync(), "after lost replies");
    }

    [Fact]
    public async Task Exhausted_retries_fail_clearly_and_a_later_commit_succeeds()
    {
        await using var proxy = new HttpFaultProxy(Upstream);
        var container = NewContainer();
        var table = await TestTables.CreateAsync(NewStore(container, proxy, maxRetries: 1), TestTables.Orders(1, new Dictionary<string, string> { [CoreOptions.WriteOnlyKey] = "true" }));
        await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [1L, "a", 1m, null])], new WriteOptions { CommitUser = "u", CommitIdentifier = 1 });

        proxy.Policy = r => r.Method == "PUT" ? Throttle() : HttpFault.None;
        var failed = await Assert.ThrowsAnyAsync<Exception>(() =>
            table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [2L, "b", 2m, null])], new WriteOptions { CommitUser = "u", CommitIdentifier = 2 }));
        var error = failed is IOException ? failed : Assert.IsType<IOException>(failed.InnerException);
        Assert.Contains("503", error.Message, StringComparison.Ordinal);
        Assert.Contains(container, error.Message, StringComparison.Ordinal);
        Assert.Contains("after 1 retries", error.Message, StringComparison.Ordinal);

        proxy.Policy = _ => HttpFault.None;
        // The failed write, sent again under its identity, lands once; a new one lands after it.
        Assert.Equal(2, (await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [2L, "b", 2m, null])], new WriteOptions { CommitUser = "u", CommitIdentifier = 2 }))!.SnapshotId);
        Assert.Equal(3, (await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [3L, "c", 3m, null])], new WriteOptions { CommitUser = "u", CommitIdentifier = 3 }))!.SnapshotId);
        var rows = await (await table.ScanAsync(new ScanOptions())).ToListAsync();
        Assert.Equal([1L, 2L, 3L], rows.Select(r => (long)r[0]!).Order());
    }

    [Fact]
    public async Task Large_files_go_up_in_parts_and_read_back_in_ranges()
    {
        await using var proxy = new HttpFaultProxy(Upstream);
        var store = NewStore(NewContainer(), proxy);
        var data = new byte[(12 << 20) + 12345];
        new Random(1).NextBytes(data);
        // A part dropped mid-upload is retried on its own; the object appears whole or not at all.
        var dropped = 0;
        var parts = new System.Collections.Concurrent.ConcurrentBag<string>();
        proxy.Policy = r =>
        {
            if (r.Target.Contains(PartMarker, StringComparison.Ordinal)) parts.Add(r.Target);
            return r.Method == "PUT" && r.ContentLength > 0 && Interlocked.Increment(ref dropped) == 2 ? new HttpFault.DropMidUpload() : HttpFault.None;
        };
        await store.PutAsync("big/file.bin", data);
        Assert.True(parts.Count >= 3, $"expected the upload in parts, saw {parts.Count} part requests");
        Assert.Equal(data, await store.GetAsync("big/file.bin"));
        Assert.Equal(data.AsSpan((8 << 20) - 10, 100).ToArray(), await store.GetRangeAsync("big/file.bin", (8 << 20) - 10, 100));
        Assert.Equal(data.Length, (await store.ListAsync("big/").ToListAsync()).Single().Size);
    }

    [Fact]
    public async Task Scans_read_large_files_in_ranges_through_faults()
    {
        await using var proxy = new HttpFaultProxy(Upstream);
        var container = NewContainer();
        var table = await TestTables.CreateAsync(NewStore(container, proxy, readBlockSize: 16 << 10), TestTables.Orders(1, new Dictionary<string, string> { [CoreOptions.WriteOnlyKey] = "true" }));
        var model = new KeyedModel();
        var rows = Enumerable.Range(0, 20_000).Select(i => new ChangeRow(RowKind.Insert, [(long)i, "customer-" + (i * 7919 % 10007), (decimal)i / 100, i % 3 == 0 ? null : "note " + i])).ToList();
        foreach (var r in rows) model.Apply(new ChangeRow(r.Kind, (object?[])r.Values.Clone()));
        await table.WriteAndCommitAsync(rows);
        var faults = new Random(11);
        var dataGets = 0;
        proxy.Policy = r =>
        {
            if (r.Method == "GET" && r.Target.Contains("/data-", StringComparison.Ordinal)) Interlocked.Increment(ref dataGets);
            double x;
            lock (faults) x = faults.NextDouble();
            return x < 0.1 ? HttpFault.InternalError() : x < 0.15 ? new HttpFault.Delay(TimeSpan.FromMilliseconds(100)) : HttpFault.None;
        };
        KeyedModel.AssertSame(model.Rows, await (await table.ScanAsync(new ScanOptions())).ToListAsync(), "scan in ranges");
        Assert.True(dataGets > 2, $"the data file was read in {dataGets} requests");
        var gets = dataGets;
        var ids = await (await table.ScanAsync(new ScanOptions { Columns = ["id"] })).ToListAsync();
        Assert.Equal(model.Rows.Keys.Order(), ids.Select(r => (long)r[0]!).Order());
        Assert.True(dataGets - gets < gets, $"a one-column scan took {dataGets - gets} requests, the full scan {gets}");
    }
}
