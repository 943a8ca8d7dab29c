using TableStore.Core.Data;
using TableStore.Core.Lookup;
using TableStore.Core.Manifest;
using TableStore.Core.MergeTree.Compaction;
using TableStore.Core.Scan;
using TableStore.Core.Schema;
using TableStore.Core.Table;
using TableStore.Core.Tests.Support;
using Xunit.Abstractions;

namespace TableStore.Core.Tests;

/// <summary>
/// Compaction never changes what a reader sees: random upserts and deletes with compaction interleaved (by the
/// writers, by explicit jobs, full or universal, and by a job racing the writers), checked against the model
/// at every retained snapshot, by scans and by point lookups.
/// </summary>
public class CompactionTests(ITestOutputHelper output)
{
    public static TheoryData<int, string> Cases => new()
    {
        { 21, "auto" },
        { 22, "auto-partitioned" },
        { 23, "manual" },
        { 24, "manual" },
        { 25, "racing" },
        { 26, "racing" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_snapshot_reads_like_the_model_with_compaction_interleaved(int seed, string variant)
    {
        await Seeded.RunAsync(output, $"seed {seed}, variant {variant}", () => RunModel(seed, variant));
    }

    private static async Task RunModel(int seed, string variant)
    {
        var random = new Random(seed);
        var options = new Dictionary<string, string>
        {
            [CoreOptions.ManifestMergeMinCountKey] = "4",
            [CoreOptions.WriteBufferSizeKey] = "3kb",
            [CoreOptions.TargetFileSizeKey] = "2kb",
            [CoreOptions.RowGroupRowsKey] = "1024",
            [CoreOptions.CompactionTriggerKey] = "3",
        };
        if (variant != "auto" && variant != "auto-partitioned") options[CoreOptions.WriteOnlyKey] = "true";
        var columns = SchemaParser.ParseColumns("id BIGINT, region STRING NOT NULL, qty INT, note STRING");
        var def = variant == "auto-partitioned"
            ? new TableDefinition(columns, ["id", "region"], ["region"], 2, options)
            : new TableDefinition(columns, ["id"], null, 2, options);
        var store = new InMemoryObjectStore();
        var table = await TestTables.CreateAsync(store, def);
        string[] regions = ["eu", "us", "ap"];
        var model = new KeyedModel();
        var states = new SortedDictionary<long, Dictionary<long, object?[]>>();

        using var stop = new CancellationTokenSource();
        int racingCompactions = 0;
        Task racer = Task.CompletedTask;
        if (variant == "racing")
        {
            // A separate compaction job (its own table object, like another process) keeps compacting while writes go on.
            var other = await new Catalog(store).GetTableAsync(table.Identifier);
            racer = Task.Run(async () =>
            {
                var r = new Random(seed + 1000);
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        var outcome = await other.CompactAsync(new CompactOptions { Full = r.Next(3) == 0, MaxAttempts = 1 });
                        if (outcome.SnapshotId is not null) Interlocked.Increment(ref racingCompactions);
                    }
                    catch (CommitConflictException) { }
                    await Task.Delay(r.Next(0, 5));
                }
            });
        }

        for (int step = 0; step < 40; step++)
        {
            var batch = new List<ChangeRow>();
            for (int i = 0, n = random.Next(1, 40); i < n; i++)
            {
                long id = random.Next(0, 60);
                var region = variant == "auto-partitioned" ? regions[id % 3] : regions[random.Next(3)];
                var kind = random.Next(10) switch { < 2 => RowKind.Delete, 2 => RowKind.UpdateBefore, 3 or 4 => RowKind.UpdateAfter, _ => RowKind.Insert };
                object?[] values = kind.IsRetract() ? [id, region, null, null] : [id, region, random.Next(100), random.Next(3) == 0 ? null : $"note-{random.Next(1000)}"];
                batch.Add(new ChangeRow(kind, values));
                model.Apply(new ChangeRow(kind, (object?[])values.Clone()));
            }
            var result = await table.WriteAndCommitAsync(batch);
            states[result!.SnapshotId] = model.Copy();
            if (result.Compaction is { SnapshotId: { } c }) states[c] = model.Copy();

            if (variant == "manual" && random.Next(3) == 0)
            {
                var outcome = await table.CompactAsync(new CompactOptions { Full = random.Next(2) == 0 });
                if (outcome.SnapshotId is { } id) states[id] = model.Copy();
            }
            KeyedModel.AssertSame(model.Rows, await (await table.ScanAsync(new ScanOptions())).ToListAsync(), $"after step {step}");
        }
        stop.Cancel();
        await racer;
        if (variant == "racing") Assert.True(racingCompactions > 0, "the racing job never committed a compaction");

        // Full compaction leaves one run per bucket at the top level, without retractions.
        var full = await table.CompactAsync(new CompactOptions { Full = true });
        if (full.SnapshotId is { } last) states[last] = model.Copy();
        var latest = (await table.Snapshots.LatestAsync())!;
        foreach (var bucket in (await table.Manifests.ReadLiveFilesAsync(latest.BaseManifestList)).GroupBy(e => (PartitionKey.Of(e.Partition), e.Bucket)))
        {
            Assert.Single(SortedRun.Of(bucket.Select(e => e.File)));
            Assert.All(bucket, e => Assert.Equal(table.Schema.CoreOptions.NumLevels - 1, e.File.Level));
            Assert.All(bucket, e => Assert.Equal(0, e.File.DeleteRowCount));
        }

        // Every snapshot, including the COMPACT ones (which read like the snapshot before them), matches the model.
        var snapshots = await table.Snapshots.ListAsync();
        Assert.Contains(snapshots, s => s.CommitKind == CommitKind.Compact);
        Dictionary<long, object?[]> state = [];
        foreach (var s in snapshots)
        {
            if (states.TryGetValue(s.Id, out var known)) state = known;
            else Assert.Equal(CommitKind.Compact, s.CommitKind); // a racing compaction: same state as before
            KeyedModel.AssertSame(state, await (await table.ScanAsync(new ScanOptions { SnapshotId = s.Id })).ToListAsync(), $"snapshot {s.Id} ({s.CommitKind})");
        }

        var lookup = new TableLookup(table, new LookupFileCache(1 << 20));
        for (long id = 0; id < 60; id++)
        {
            var key = variant == "auto-partitioned" ? new object?[] { id, regions[id % 3] } : [id];
            Assert.Equal(model.Rows.GetValueOrDefault(id), (await lookup.LookupAsync(key)).Row);
        }
    }

    [Fact]
    public async Task Sorted_runs_stay_at_or_below_the_trigger_under_a_steady_load()
    {
        var options = new Dictionary<string, string> { [CoreOptions.CompactionTriggerKey] = "4", [CoreOptions.ManifestMergeMinCountKey] = "10" };
        var table = await TestTables.CreateAsync(new InMemoryObjectStore(), TestTables.Orders(buckets: 2, options));
        var random = new Random(7);
        int maxRuns = 0, compactions = 0;
        for (int commit = 0; commit < 60; commit++)
        {
            var rows = Enumerable.Range(0, 50).Select(_ => new ChangeRow(RowKind.Insert, [(long)random.Next(500), "c", 1.5m, "x"])).ToList();
            var result = await table.WriteAndCommitAsync(rows);
            if (result!.Compaction is not null) compactions++;
            var latest = (await table.Snapshots.LatestAsync())!;
            foreach (var bucket in (await table.Manifests.ReadLiveFilesAsync(latest.BaseManifestList)).GroupBy(e => e.Bucket))
                maxRuns = Math.Max(maxRuns, SortedRun.Of(bucket.Select(e => e.File)).Count);
        }
        Assert.InRange(maxRuns, 1, 4);
        Assert.True(compactions >= 10, $"only {compactions} compactions in 60 commits");
    }

    [Fact]
    public async Task Append_only_compaction_merges_small_files_and_keeps_order()
    {
        var options = new Dictionary<string, string> { [CoreOptions.CompactionMinFileNumKey] = "3", [CoreOptions.WriteOnlyKey] = "true" };
        var table = await TestTables.CreateAsync(new InMemoryObjectStore(),
            new TableDefinition(SchemaParser.ParseColumns("seq BIGINT NOT NULL, msg STRING"), null, null, 1, options));
        long next = 0;
        for (int commit = 0; commit < 7; commit++)
            await table.WriteAndCommitAsync(Enumerable.Range(0, 10).Select(_ => new ChangeRow(RowKind.Insert, [next++, $"m{next}"])).ToList());
        var before = await (await table.ScanAsync(new ScanOptions())).ToListAsync();
        var outcome = await table.CompactAsync();
        Assert.NotNull(outcome.SnapshotId);
        Assert.Equal(7, outcome.FilesBefore);
        Assert.Equal(1, outcome.FilesAfter);
        Assert.Equal(70, outcome.RowsWritten);
        var after = await (await table.ScanAsync(new ScanOptions())).ToListAsync();
        Assert.Equal(before.Select(r => (long)r[0]!), after.Select(r => (long)r[0]!));
        Assert.Equal(Enumerable.Range(0, 70).Select(i => (long)i), after.Select(r => (long)r[0]!));
        // Nothing more to do.
        Assert.Null((await table.CompactAsync()).SnapshotId);

        // New appends after the compaction still read after the old rows.
        await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [next++, "late"])]);
        var all = await (await table.ScanAsync(new ScanOptions())).ToListAsync();
        Assert.Equal(Enumerable.Range(0, 71).Select(i => (long)i), all.Select(r => (long)r[0]!));
    }

    [Fact]
    public async Task Partition_filter_compacts_only_that_partition()
    {
        var options = new Dictionary<string, string> { [CoreOptions.WriteOnlyKey] = "true" };
        var table = await TestTables.CreateAsync(new InMemoryObjectStore(),
            new TableDefinition(SchemaParser.ParseColumns("id BIGINT, region STRING NOT NULL, v INT"), ["id", "region"], ["region"], 1, options));
        for (int i = 0; i < 3; i++)
            await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [(long)i, "eu", i]), new ChangeRow(RowKind.Insert, [(long)i, "us", i])]);
        var outcome = await table.CompactAsync(new CompactOptions { Full = true, Partitions = PartitionSpec.Parse("region=eu", table.Schema) });
        Assert.Equal(1, outcome.Buckets);
        var live = await table.Manifests.ReadLiveFilesAsync((await table.Snapshots.LatestAsync())!.BaseManifestList);
        Assert.Single(live, e => (string)e.Partition[0]! == "eu");
        Assert.Equal(3, live.Count(e => (string)e.Partition[0]! == "us"));

        var e1 = Assert.Throws<InvalidInputException>(() => PartitionSpec.Parse("country=eu", table.Schema));
        Assert.Contains("not a partition column", e1.Message);
        Assert.Throws<InvalidInputException>(() => PartitionSpec.Parse("region", table.Schema));
    }

    [Fact]
    public void Universal_compaction_picks_by_size_amplification_ratio_and_run_count()
    {
        var picker = new UniversalCompaction(compactionTrigger: 3, maxSizeAmplificationPercent: 200, sizeRatio: 1, numLevels: 4);
        long seq = 100;
        DataFileMeta File(int level, long size) => new($"f{seq}", size, 1, [], [], seq, seq--, level, 0, [], 0, 0);

        // Below the trigger: nothing.
        Assert.Null(picker.Pick(SortedRun.Of([File(0, 10), File(3, 1000)])));
        // Newer runs much larger than the oldest: everything, to the top level, dropping retractions.
        var amp = picker.Pick(SortedRun.Of([File(0, 500), File(0, 500), File(3, 100)]))!;
        Assert.Equal((3, 3, true), (amp.OutputLevel, amp.Files.Count, amp.DropRetractions));
        // Similar sizes from the newest: merged, kept above the big oldest run (no retractions dropped).
        var ratio = picker.Pick(SortedRun.Of([File(0, 10), File(0, 10), File(0, 10), File(3, 10_000)]))!;
        Assert.Equal((2, 3, false), (ratio.OutputLevel, ratio.Files.Count, ratio.DropRetractions));
        // Growing sizes (no ratio match) but too many runs: the newest are merged down to the trigger count.
        var count = picker.Pick(SortedRun.Of([File(0, 1), File(0, 10), File(1, 100), File(2, 1000), File(3, 10_000)]))!;
        Assert.Equal(3, count.Files.Count);
        Assert.Equal(1, count.OutputLevel);
        // Full: one run at the top; nothing to do when that is already the case.
        Assert.Equal(3, picker.PickFull(SortedRun.Of([File(0, 1), File(1, 5)]))!.OutputLevel);
        Assert.Null(picker.PickFull(SortedRun.Of([File(3, 5)])));
    }
}
