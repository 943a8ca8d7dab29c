using TableStore.Core.Data;
using TableStore.Core.Scan;
using TableStore.Core.Schema;
using TableStore.Core.Table;
using TableStore.Core.Tests.Support;
using Xunit.Abstractions;

namespace TableStore.Core.Tests;

/// <summary>
/// Append-only tables against a multiset model: every committed row is there exactly once at every snapshot,
/// within a bucket in write order, and filters agree with filtering the model.
/// </summary>
public class AppendOnlyModelTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public async Task Every_snapshot_holds_exactly_the_rows_appended_up_to_it(int seed)
    {
        try { await Run(seed); }
        catch (Exception) { output.WriteLine($"Failed with seed {seed}"); throw; }
    }

    private static async Task Run(int seed)
    {
        var random = new Random(seed);
        var options = new Dictionary<string, string> { [CoreOptions.WriteBufferSizeKey] = "4kb", [CoreOptions.ManifestMergeMinCountKey] = "4" };
        var table = await TestTables.CreateAsync(new InMemoryObjectStore(),
            new TableDefinition(SchemaParser.ParseColumns("seq BIGINT NOT NULL, day DATE NOT NULL, msg STRING, n INT"), null, ["day"], 3, options));
        var model = new List<object?[]>();
        var history = new List<(long Snapshot, List<object?[]> Rows)>();
        long next = 0;
        for (int commit = 0; commit < 15; commit++)
        {
            var batch = Enumerable.Range(0, random.Next(1, 80)).Select(_ => new ChangeRow(RowKind.Insert,
                [next++, new DateOnly(2026, 11, 1 + random.Next(3)), random.Next(5) == 0 ? null : $"m{random.Next(100)}", random.Next(-10, 10)])).ToList();
            model.AddRange(batch.Select(r => (object?[])r.Values.Clone()));
            var result = await table.WriteAndCommitAsync(batch);
            history.Add((result!.SnapshotId, model.ToList()));
        }
        foreach (var (id, rows) in history)
        {
            var scanned = await (await table.ScanAsync(new ScanOptions { SnapshotId = id })).ToListAsync();
            Assert.Equal(rows.Select(r => (long)r[0]!).Order(), scanned.Select(r => (long)r[0]!).Order());
        }
        var filtered = await (await table.ScanAsync(new ScanOptions { Filter = "day = '2026-11-02' AND (n > 5 OR msg IS NULL)", Columns = ["seq"] })).ToListAsync();
        var expected = model.Where(r => (DateOnly)r[1]! == new DateOnly(2026, 11, 2) && ((int)r[3]! > 5 || r[2] is null)).Select(r => (long)r[0]!).Order();
        Assert.Equal(expected, filtered.Select(r => (long)r[0]!).Order());
        // Within a (partition, bucket) rows come back in the order they were written.
        var plan = await table.NewScan().PlanAsync(await table.Snapshots.LatestAsync(), null);
        var read = table.NewRead();
        foreach (var split in plan.Splits)
        {
            await using var prepared = await read.PrepareAsync(split, [true, true, true, true]);
            var seqs = await prepared.Rows().Select(r => (long)r[0]!).ToListAsync();
            Assert.Equal(seqs.Order(), seqs);
        }
    }
}
