using TableStore.Core.Data;
using TableStore.Core.Scan;
using TableStore.Core.Schema;
using TableStore.Core.Table;
using TableStore.Core.Tests.Support;
using Xunit.Abstractions;

namespace TableStore.Core.Tests;

/// <summary>
/// Random batches of upserts and deletes over a small key space. After every commit the scan equals the model,
/// and every earlier snapshot, read by time travel, equals the model as it was then.
/// </summary>
public class ModelBasedTests(ITestOutputHelper output)
{
    public static TheoryData<int, string> Cases => new()
    {
        { 1, "plain" },
        { 2, "plain" },
        { 3, "tiny-buffers" },
        { 4, "tiny-buffers" },
        { 5, "partitioned" },
        { 6, "partitioned" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Scan_and_time_travel_match_the_model(int seed, string variant)
    {
        try
        {
            await Run(seed, variant);
        }
        catch (Exception)
        {
            output.WriteLine($"Failed with seed {seed}, variant {variant}: rerun this case to reproduce.");
            throw;
        }
    }

    private static async Task Run(int seed, string variant)
    {
        var random = new Random(seed);
        var options = new Dictionary<string, string> { [CoreOptions.ManifestMergeMinCountKey] = "5" };
        if (variant == "tiny-buffers")
        {
            // Force several flushes per commit and several files per flush.
            options[CoreOptions.WriteBufferSizeKey] = "2kb";
            options[CoreOptions.TargetFileSizeKey] = "1kb";
            options[CoreOptions.RowGroupRowsKey] = "1024";
        }
        var columns = SchemaParser.ParseColumns("id BIGINT, region STRING NOT NULL, qty INT, price DECIMAL(12,2), note STRING, day DATE, at TIMESTAMP, ok BOOLEAN, score DOUBLE");
        var def = variant == "partitioned"
            ? new TableDefinition(columns, ["id", "region"], ["region"], 3, options)
            : new TableDefinition(columns, ["id"], null, 4, options);
        var table = await TestTables.CreateAsync(new InMemoryObjectStore(), def);
        var model = new KeyedModel();
        var history = new List<(long Snapshot, Dictionary<long, object?[]> State, DateTimeOffset Time)>();
        string[] regions = ["eu", "us", "ap"];

        for (int commit = 0; commit < 25; commit++)
        {
            var batch = new List<ChangeRow>();
            int n = random.Next(1, 60);
            for (int i = 0; i < n; i++)
            {
                long id = random.Next(0, 40);
                // In the partitioned variant the region is derived from the key, so a key lives in one partition.
                var region = variant == "partitioned" ? regions[id % 3] : regions[random.Next(3)];
                var kind = random.Next(10) switch { < 2 => RowKind.Delete, 2 => RowKind.UpdateBefore, 3 or 4 => RowKind.UpdateAfter, _ => RowKind.Insert };
                object?[] values = kind.IsRetract()
                    ? [id, region, null, null, null, null, null, null, null]
                    : [id, region, random.Next(-5, 100), Math.Round((decimal)random.NextDouble() * 1000, 2),
                       random.Next(4) == 0 ? null : $"n{random.Next(1000)}", new DateOnly(2024, 1, 1).AddDays(random.Next(365)),
                       new DateTime(2024, 5, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(random.NextInt64(0, TimeSpan.TicksPerDay) / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond),
                       random.Next(2) == 0, random.NextDouble()];
                var row = new ChangeRow(kind, values);
                batch.Add(row);
                model.Apply(row);
            }
            var result = await table.WriteAndCommitAsync(batch);
            Assert.NotNull(result);
            var snapshot = await table.Snapshots.GetAsync(result!.SnapshotId);
            history.Add((result.SnapshotId, model.Copy(), snapshot.Time));

            var rows = await (await table.ScanAsync(new ScanOptions())).ToListAsync();
            KeyedModel.AssertSame(model.Rows, rows, $"seed {seed} after commit {commit} (snapshot {result.SnapshotId})");
        }

        foreach (var (id, state, _) in history)
        {
            var rows = await (await table.ScanAsync(new ScanOptions { SnapshotId = id })).ToListAsync();
            KeyedModel.AssertSame(state, rows, $"seed {seed} time travel to snapshot {id}");
        }
        // By timestamp: the latest snapshot at or before a commit's time (several may share a millisecond).
        foreach (var (id, _, time) in history)
        {
            var resolved = await table.NewScan().ResolveSnapshotAsync(new ScanOptions { AsOf = time });
            Assert.True(resolved!.Id >= id && resolved.Time == time, $"seed {seed}: as-of {time:O} resolved to {resolved.Id}");
            var rows = await (await table.ScanAsync(new ScanOptions { AsOf = time })).ToListAsync();
            // The resolved snapshot may be the writer's COMPACT snapshot right after: it reads like the write before it.
            KeyedModel.AssertSame(history.Last(h => h.Snapshot <= resolved.Id).State, rows, $"seed {seed} as-of {time:O}");
        }

        // Filtered and projected reads agree with filtering the model.
        var filtered = await (await table.ScanAsync(new ScanOptions { Filter = "qty >= 50 AND id IN (1, 5, 7, 9, 11, 20, 33)", Columns = ["id", "qty"] })).ToListAsync();
        var expected = model.Rows.Values.Where(r => r[2] is int q && q >= 50 && new long[] { 1, 5, 7, 9, 11, 20, 33 }.Contains((long)r[0]!)).Select(r => (long)r[0]!).Order();
        Assert.Equal(expected, filtered.Select(r => (long)r[0]!).Order());
        Assert.All(filtered, r => Assert.Equal(2, r.Length));
    }
}
