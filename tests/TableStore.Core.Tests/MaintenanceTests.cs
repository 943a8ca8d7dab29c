using TableStore.Core.Data;
using TableStore.Core.IO;
using TableStore.Core.Maintenance;
using TableStore.Core.Scan;
using TableStore.Core.Schema;
using TableStore.Core.Table;
using TableStore.Core.Tests.Support;
using Xunit.Abstractions;

namespace TableStore.Core.Tests;

/// <summary>
/// Expiration and orphan cleanup never remove what a retained snapshot, a tag or a consumer needs, and leave
/// nothing behind that nothing needs.
/// </summary>
public class MaintenanceTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    public async Task Random_writes_compactions_tags_and_expirations_keep_every_retained_snapshot_readable(int seed)
    {
        await Seeded.RunAsync(output, $"seed {seed}", () => RunModel(seed));
    }

    private static async Task RunModel(int seed)
    {
        var random = new Random(seed);
        var clock = new ManualClock(Start);
        var store = new InMemoryObjectStore(clock);
        var options = new Dictionary<string, string>
        {
            [CoreOptions.CompactionTriggerKey] = "3", [CoreOptions.ManifestMergeMinCountKey] = "4",
            [CoreOptions.WriteBufferSizeKey] = "2kb", [CoreOptions.TargetFileSizeKey] = "2kb",
        };
        var table = await new Catalog(store, clock).CreateTableAsync(Identifier.Parse("db.t"),
            new TableDefinition(SchemaParser.ParseColumns("id BIGINT, region STRING NOT NULL, qty INT, note STRING"), ["id"], null, 2, options));
        var model = new KeyedModel();
        var states = new Dictionary<long, Dictionary<long, object?[]>>();
        var tags = new Dictionary<string, long>();
        bool tagDeleted = false;

        for (int step = 0; step < 50; step++)
        {
            clock.Advance(TimeSpan.FromMinutes(random.Next(1, 30)));
            var batch = new List<ChangeRow>();
            for (int i = 0, n = random.Next(1, 30); i < n; i++)
            {
                long id = random.Next(0, 50);
                var kind = random.Next(5) == 0 ? RowKind.Delete : RowKind.Insert;
                object?[] values = kind == RowKind.Delete ? [id, "x", null, null] : [id, "eu", random.Next(100), $"n{random.Next(100)}"];
                batch.Add(new ChangeRow(kind, values));
                model.Apply(new ChangeRow(kind, (object?[])values.Clone()));
            }
            var result = (await table.WriteAndCommitAsync(batch))!;
            states[result.SnapshotId] = model.Copy();
            if (result.Compaction?.SnapshotId is { } c) states[c] = model.Copy();
            if (random.Next(4) == 0 && (await table.CompactAsync(new CompactOptions { Full = true })).SnapshotId is { } f) states[f] = model.Copy();

            if (random.Next(6) == 0)
            {
                var name = $"tag{step}";
                tags[name] = (await table.Tags.CreateAsync(name)).Snapshot.Id;
            }
            if (random.Next(8) == 0 && tags.Count > 0)
            {
                var victim = tags.Keys.ElementAt(random.Next(tags.Count));
                await table.Tags.DeleteAsync(victim);
                tags.Remove(victim);
                tagDeleted = true;
            }
            if (random.Next(3) == 0)
            {
                var expire = random.Next(2) == 0 ? new ExpireOptions(random.Next(1, 6)) : new ExpireOptions(random.Next(1, 4), TimeSpan.FromMinutes(random.Next(10, 120)));
                var outcome = await new SnapshotExpiration(table).RunAsync(expire);
                var ids = await table.Snapshots.ListIdsAsync();
                Assert.Equal(outcome.EarliestRetained ?? ids[0], ids[0]);
                Assert.Equal(Enumerable.Range((int)ids[0], ids.Count).Select(i => (long)i), ids); // contiguous
                foreach (var id in ids)
                    KeyedModel.AssertSame(states[id], await (await table.ScanAsync(new ScanOptions { SnapshotId = id })).ToListAsync(), $"step {step}: snapshot {id}");
                foreach (var (name, id) in tags)
                    KeyedModel.AssertSame(states[id], await (await table.ScanAsync(new ScanOptions { Tag = name })).ToListAsync(), $"step {step}: tag {name} at {id}");

                // Expiration is complete: it leaves nothing unreferenced but what deleted tags held.
                var orphans = await new OrphanFilesClean(table).RunAsync(new OrphanCleanOptions(TimeSpan.Zero, DryRun: !tagDeleted));
                if (!tagDeleted) Assert.Empty(orphans.Orphans);
                tagDeleted = false;
            }
        }

        // A final cleanup with nothing in flight leaves exactly the referenced files, and everything still reads.
        await new OrphanFilesClean(table).RunAsync(new OrphanCleanOptions(TimeSpan.Zero));
        Assert.Empty((await new OrphanFilesClean(table).RunAsync(new OrphanCleanOptions(TimeSpan.Zero, DryRun: true))).Orphans);
        foreach (var id in await table.Snapshots.ListIdsAsync())
            KeyedModel.AssertSame(states[id], await (await table.ScanAsync(new ScanOptions { SnapshotId = id })).ToListAsync(), $"end: snapshot {id}");
        foreach (var (name, id) in tags)
            KeyedModel.AssertSame(states[id], await (await table.ScanAsync(new ScanOptions { Tag = name })).ToListAsync(), $"end: tag {name}");
    }

    [Fact]
    public async Task A_long_lived_handle_finds_the_latest_snapshot_after_the_ones_it_saw_expired()
    {
        // Handles remember the latest snapshot they saw and probe forward from it; when that one and its successor
        // expired meanwhile, the probe must not take it for the latest (a commit would then recreate an old id).
        var store = new InMemoryObjectStore();
        var old = await TestTables.CreateAsync(store, TestTables.Orders(1, new Dictionary<string, string> { [CoreOptions.WriteOnlyKey] = "true" }));
        for (int c = 1; c <= 3; c++) await old.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [(long)c, "a", 1m, null])]);
        Assert.Equal(3, await old.Snapshots.LatestIdAsync());

        var other = await new Catalog(store).GetTableAsync(Identifier.Parse("db.t"));
        for (int c = 4; c <= 8; c++) await other.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [(long)c, "b", 2m, null])]);
        await new SnapshotExpiration(other).RunAsync(new ExpireOptions(2));
        Assert.Equal([7L, 8L], await other.Snapshots.ListIdsAsync());

        Assert.Equal(8, await old.Snapshots.LatestIdAsync());
        Assert.Equal(9, (await old.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [9L, "c", 3m, null])]))!.SnapshotId);
        Assert.Equal(9, (await (await other.ScanAsync(new ScanOptions())).ToListAsync()).Count);
    }

    [Fact]
    public async Task Expiration_keeps_what_a_tag_needs_and_reports_an_expired_snapshot_clearly()
    {
        var store = new InMemoryObjectStore();
        var table = await TestTables.CreateAsync(store, TestTables.Orders(1, new Dictionary<string, string> { [CoreOptions.WriteOnlyKey] = "true" }));
        await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [1L, "a", 1m, null]), new ChangeRow(RowKind.Insert, [2L, "b", 2m, null])]);
        await table.Tags.CreateAsync("first");
        await table.WriteAndCommitAsync([new ChangeRow(RowKind.Delete, [1L, null, null, null])]);
        await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [3L, "c", 3m, null])]);
        await table.CompactAsync(new CompactOptions { Full = true });

        var outcome = await new SnapshotExpiration(table).RunAsync(new ExpireOptions(1));
        Assert.Equal((3, 4L), (outcome.SnapshotsExpired, outcome.EarliestRetained));
        // The compaction (snapshot 4, now the earliest) replaced the files: a reader of its changes still needs them.
        Assert.Equal(0, outcome.DataFilesDeleted);
        await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [4L, "d", 4m, null])]);
        outcome = await new SnapshotExpiration(table).RunAsync(new ExpireOptions(1));
        // Now they go, but the tagged snapshot's file stays for the tag.
        Assert.Equal(2, outcome.DataFilesDeleted);
        var tagged = await (await table.ScanAsync(new ScanOptions { Tag = "first" })).ToListAsync();
        Assert.Equal([1L, 2L], tagged.Select(r => (long)r[0]!));
        Assert.Equal([2L, 3L, 4L], (await (await table.ScanAsync(new ScanOptions())).ToListAsync()).Select(r => (long)r[0]!));
        var e = await Assert.ThrowsAsync<SnapshotNotFoundException>(() => table.ScanAsync(new ScanOptions { SnapshotId = 2 }));
        Assert.Equal("Snapshot 2 has expired: the earliest retained snapshot is 5.", e.Message);

        // Once the tag is gone its files are orphans; cleanup removes them and the table still reads.
        await table.Tags.DeleteAsync("first");
        var orphans = await new OrphanFilesClean(table).RunAsync(new OrphanCleanOptions(TimeSpan.Zero));
        Assert.NotEmpty(orphans.Orphans);
        Assert.Contains(orphans.Orphans, o => o.Path.EndsWith(".parquet", StringComparison.Ordinal));
        Assert.Equal([2L, 3L, 4L], (await (await table.ScanAsync(new ScanOptions())).ToListAsync()).Select(r => (long)r[0]!));
        await Assert.ThrowsAsync<InvalidInputException>(() => new SnapshotExpiration(table).RunAsync(new ExpireOptions(0)));
    }

    [Fact]
    public async Task Older_than_keeps_young_snapshots_beyond_retain_last()
    {
        var clock = new ManualClock(Start);
        var table = await new Catalog(new InMemoryObjectStore(clock), clock).CreateTableAsync(Identifier.Parse("db.t"),
            TestTables.Orders(1, new Dictionary<string, string> { [CoreOptions.WriteOnlyKey] = "true" }));
        for (int i = 0; i < 6; i++)
        {
            await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [(long)i, "a", 1m, null])]);
            clock.Advance(TimeSpan.FromHours(1));
        }
        // Snapshots 1..6 committed at 0h..5h, now 6h: younger than 2.5h are snapshots 5 (4h) and 6 (5h).
        var outcome = await new SnapshotExpiration(table).RunAsync(new ExpireOptions(1, TimeSpan.FromHours(2.5)));
        Assert.Equal(5L, outcome.EarliestRetained);
        Assert.Equal([5L, 6L], await table.Snapshots.ListIdsAsync());
    }

    [Fact]
    public async Task A_streaming_consumer_never_loses_a_snapshot_to_concurrent_expiration()
    {
        var store = new JitterObjectStore(new InMemoryObjectStore(), 5);
        var table = await TestTables.CreateAsync(store, TestTables.Orders(2, new Dictionary<string, string> { [CoreOptions.CompactionTriggerKey] = "2" }));
        await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [0L, "a", 0m, null])]);
        await table.Consumers.SetAsync("reader", 1);
        using var stop = new CancellationTokenSource();
        var expected = new Dictionary<long, long>(); // snapshot -> rows
        var writer = Task.Run(async () =>
        {
            for (long i = 1; i <= 40; i++)
            {
                var r = await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [i, "a", i, null])]);
                lock (expected) expected[r!.SnapshotId] = i + 1;
            }
        });
        var expirer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await new SnapshotExpiration(table).RunAsync(new ExpireOptions(1));
                await Task.Yield();
            }
        });
        // The reader follows every snapshot in order, reading each one whole, and records its progress.
        long next = 1, read = 0;
        while (!writer.IsCompleted || next <= (await table.Snapshots.LatestIdAsync())!.Value)
        {
            if (await table.Snapshots.TryGetAsync(next) is not { } snapshot)
            {
                var earliest = await table.Snapshots.EarliestIdAsync();
                Assert.True(earliest is null || earliest <= next, $"snapshot {next} expired under the consumer (earliest {earliest})");
                await Task.Delay(1);
                continue;
            }
            var rows = await (await table.ScanAsync(new ScanOptions { SnapshotId = snapshot.Id })).ToListAsync();
            Assert.Equal(snapshot.TotalRecordCount, rows.Count);
            read++;
            await table.Consumers.SetAsync("reader", ++next);
        }
        stop.Cancel();
        await Task.WhenAll(writer, expirer);
        Assert.True(read >= 41, $"the reader read {read} snapshots");
        // Without the consumer, expiration catches up.
        await table.Consumers.DeleteAsync("reader");
        await new SnapshotExpiration(table).RunAsync(new ExpireOptions(1));
        Assert.Single(await table.Snapshots.ListIdsAsync());
    }

    [Fact]
    public async Task Orphan_cleanup_keeps_young_files_and_a_commit_in_flight()
    {
        using var dir = new TempDir();
        var local = new LocalFileSystemObjectStore(dir.Path);
        var gate = new GatedObjectStore(local);
        var table = await TestTables.CreateAsync(gate, TestTables.Orders(1));
        await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [1L, "a", 1m, null])]);
        var bucketDir = Path.Combine(dir.Path, "db.db", "t", "bucket-0");
        // An abandoned file from two days ago, and a young one (a write still running, or just failed).
        var old = Path.Combine(bucketDir, "data-" + Guid.NewGuid().ToString("N") + ".parquet");
        File.WriteAllBytes(old, [1, 2, 3]);
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddDays(-2));
        var young = Path.Combine(bucketDir, "data-" + Guid.NewGuid().ToString("N") + ".parquet");
        File.WriteAllBytes(young, [4]);

        // A commit whose files are written but whose snapshot is not yet created.
        gate.HoldSnapshots();
        var inFlight = table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [2L, "b", 2m, null])]);
        await gate.SnapshotAttempted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var pending = Directory.GetFiles(bucketDir, "data-*.parquet").Where(f => f != old && f != young).ToList();

        var dry = await new OrphanFilesClean(table).RunAsync(new OrphanCleanOptions(OrphanCleanOptions.DefaultOlderThan, DryRun: true));
        Assert.Equal([old], dry.Orphans.Select(o => Path.Combine(dir.Path, o.Path)));
        Assert.True(File.Exists(old));
        var clean = await new OrphanFilesClean(table).RunAsync(new OrphanCleanOptions(OrphanCleanOptions.DefaultOlderThan));
        Assert.Single(clean.Orphans);
        Assert.True(clean.YoungerSkipped >= 2, $"{clean.YoungerSkipped} young files skipped"); // the young stray and the in-flight commit's files
        Assert.False(File.Exists(old));
        Assert.True(File.Exists(young));
        Assert.All(pending, f => Assert.True(File.Exists(f), $"in-flight file {f} was deleted"));

        gate.Release();
        var committed = await inFlight;
        Assert.NotNull(committed);
        Assert.Equal([1L, 2L], (await (await table.ScanAsync(new ScanOptions())).ToListAsync()).Select(r => (long)r[0]!));
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("10min", 600_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1.5 h", 5_400_000)]
    [InlineData("2d", 172_800_000)]
    [InlineData("45", 45_000)]
    public void Durations_parse_with_units(string text, long millis) =>
        Assert.Equal(TimeSpan.FromMilliseconds(millis), ConfigOption.ParseDuration(text));

    [Fact]
    public void Schedule_and_retention_options_are_validated()
    {
        var o = new CoreOptions(new Dictionary<string, string> { [CoreOptions.ExpireIntervalKey] = "off", [CoreOptions.FullCompactionIntervalKey] = "6h" });
        Assert.Null(o.ExpireInterval);
        Assert.Equal(TimeSpan.FromHours(6), o.FullCompactionInterval);
        Assert.Equal(TimeSpan.FromMinutes(30), new CoreOptions(new Dictionary<string, string>()).ExpireInterval);
        var e = Assert.Throws<InvalidInputException>(() => new CoreOptions(new Dictionary<string, string> { [CoreOptions.TimeRetainedKey] = "soon" }));
        Assert.Contains("'snapshot.time-retained'", e.Message);
        e = Assert.Throws<InvalidInputException>(() => new CoreOptions(new Dictionary<string, string> { [CoreOptions.CompactionTriggerKey] = "5", [CoreOptions.StopTriggerKey] = "3" }));
        Assert.Contains("must be between 5 and", e.Message);
        Assert.Throws<InvalidInputException>(() => new CoreOptions(new Dictionary<string, string> { [CoreOptions.WriteOnlyKey] = "yes" }));
    }

    /// <summary>Holds snapshot creation until released, so a test can act while a commit is in flight.</summary>
    private sealed class GatedObjectStore(IObjectStore inner) : IObjectStore
    {
        private TaskCompletionSource? _release;
        public TaskCompletionSource SnapshotAttempted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void HoldSnapshots() => _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        public void Release() => _release?.TrySetResult();

        public string Location => inner.Location;
        public Task<byte[]> GetAsync(string path, CancellationToken ct = default) => inner.GetAsync(path, ct);
        public Task<byte[]> GetRangeAsync(string path, long offset, int length, CancellationToken ct = default) => inner.GetRangeAsync(path, offset, length, ct);
        public Task<Stream> OpenReadAsync(string path, CancellationToken ct = default) => inner.OpenReadAsync(path, ct);
        public Task PutAsync(string path, ReadOnlyMemory<byte> data, CancellationToken ct = default) => inner.PutAsync(path, data, ct);
        public async Task<bool> PutIfAbsentAsync(string path, ReadOnlyMemory<byte> data, CancellationToken ct = default)
        {
            if (_release is { } gate && path.Contains("/snapshot/snapshot-", StringComparison.Ordinal))
            {
                SnapshotAttempted.TrySetResult();
                await gate.Task;
            }
            return await inner.PutIfAbsentAsync(path, data, ct);
        }
        public IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken ct = default) => inner.ListAsync(prefix, ct);
        public Task DeleteAsync(string path, CancellationToken ct = default) => inner.DeleteAsync(path, ct);
        public Task<bool> ExistsAsync(string path, CancellationToken ct = default) => inner.ExistsAsync(path, ct);
    }
}
