using TableStore.Core.Data;
using TableStore.Core.Maintenance;
using TableStore.Core.Manifest;
using TableStore.Core.Schema;
using TableStore.Core.Streaming;
using TableStore.Core.Table;
using TableStore.Core.Tests.Support;
using Xunit.Abstractions;
using TableStore.Core.Consumers;

namespace TableStore.Core.Tests;

/// <summary>
/// A streaming reader follows random writes, compactions and overwrites; applying its changes snapshot by
/// snapshot rebuilds the model's state at every snapshot.
/// </summary>
public class StreamingTests(ITestOutputHelper output)
{
    private static readonly StreamingOptions Fast = new() { PollInterval = TimeSpan.FromMilliseconds(2) };

    [Theory]
    [InlineData(71)]
    [InlineData(72)]
    public async Task A_concurrent_subscriber_rebuilds_every_snapshot(int seed) =>
        await Seeded.RunAsync(output, $"seed {seed}", () => RunModel(seed));

    private static async Task RunModel(int seed)
    {
        var random = new Random(seed);
        var table = await TestTables.CreateAsync(new InMemoryObjectStore(), new TableDefinition(
            SchemaParser.ParseColumns("id BIGINT, region STRING NOT NULL, v INT"), ["id", "region"], ["region"], 2,
            new Dictionary<string, string> { [CoreOptions.CompactionTriggerKey] = "3", [CoreOptions.WriteBufferSizeKey] = "1kb" }));
        var model = new Dictionary<(long, string), int>();
        var states = new Dictionary<long, Dictionary<(long, string), int>>();
        using var stop = new CancellationTokenSource();
        var seen = new Dictionary<long, Dictionary<(long, string), int>>();
        var reader = Task.Run(async () =>
        {
            var rebuilt = new Dictionary<(long, string), int>();
            await foreach (var batch in new StreamingReader(table).ReadAsync(Fast with { Start = StreamStart.Parse("snapshot:1") }, stop.Token))
            {
                Apply(rebuilt, batch.Rows);
                seen[batch.SnapshotId] = new(rebuilt);
            }
        });
        string[] regions = ["eu", "us"];
        for (int step = 0; step < 30; step++)
        {
            if (random.Next(8) == 0)
            {
                var region = regions[random.Next(2)];
                var rows = Enumerable.Range(0, random.Next(0, 6)).Select(_ => new ChangeRow(RowKind.Insert, [(long)random.Next(20), region, random.Next(100)]))
                    .GroupBy(r => (long)r.Values[0]!).Select(g => g.Last()).ToList();
                var result = await table.WriteAndCommitAsync(rows, new WriteOptions { Kind = CommitKind.Overwrite, OverwritePartitions = PartitionSpec.Parse($"region={region}", table.Schema) });
                foreach (var k in model.Keys.Where(k => k.Item2 == region).ToList()) model.Remove(k);
                foreach (var r in rows) model[((long)r.Values[0]!, region)] = (int)r.Values[2]!;
                states[result!.SnapshotId] = new(model);
                continue;
            }
            var batch = new List<ChangeRow>();
            for (int i = 0, n = random.Next(1, 25); i < n; i++)
            {
                var key = ((long)random.Next(20), regions[random.Next(2)]);
                switch (random.Next(6))
                {
                    case 0:
                        batch.Add(new ChangeRow(RowKind.Delete, [key.Item1, key.Item2, null]));
                        model.Remove(key);
                        break;
                    case 1 when model.TryGetValue(key, out var old):
                        int v = random.Next(100);
                        batch.Add(new ChangeRow(RowKind.UpdateBefore, [key.Item1, key.Item2, old]));
                        batch.Add(new ChangeRow(RowKind.UpdateAfter, [key.Item1, key.Item2, v]));
                        model[key] = v;
                        break;
                    default:
                        int w = random.Next(100);
                        batch.Add(new ChangeRow(RowKind.Insert, [key.Item1, key.Item2, w]));
                        model[key] = w;
                        break;
                }
            }
            var written = (await table.WriteAndCommitAsync(batch))!;
            states[written.SnapshotId] = new(model);
            if (written.Compaction?.SnapshotId is { } c) states[c] = new(model);
        }
        var last = (await table.Snapshots.LatestIdAsync())!.Value;
        while (!seen.ContainsKey(last)) await Task.Delay(5);
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader);

        Assert.Equal(Enumerable.Range(1, (int)last).Select(i => (long)i), seen.Keys.Order());
        foreach (var (id, state) in states)
            Assert.True(Same(state, seen[id]), $"snapshot {id}: rebuilt {Show(seen[id])}, model {Show(state)}");

        // An incremental scan between two snapshots gives the same changes.
        var between = new Dictionary<(long, string), int>(seen[2]);
        await foreach (var batch in new SnapshotChanges(table).ReadRangeAsync(2, last)) Apply(between, batch.Rows);
        Assert.True(Same(seen[last], between), "the incremental scan (2, latest] applied to the state at 2 gives the latest state");

        // Resubscribing from any snapshot N, on top of the state before N, gives the same states.
        foreach (var from in new long[] { 2, last / 2, last })
        {
            var rebuilt = new Dictionary<(long, string), int>(seen.GetValueOrDefault(from - 1) ?? []);
            await foreach (var batch in new StreamingReader(table).ReadAsync(Fast with { Start = StreamStart.Parse($"snapshot:{from}"), IdleTimeout = TimeSpan.Zero }))
            {
                Apply(rebuilt, batch.Rows);
                Assert.True(Same(seen[batch.SnapshotId], rebuilt), $"resubscribed from {from}: snapshot {batch.SnapshotId}");
            }
        }
    }

    private static void Apply(Dictionary<(long, string), int> state, IReadOnlyList<ChangeRow> rows)
    {
        foreach (var r in rows)
        {
            var key = ((long)r.Values[0]!, (string)r.Values[1]!);
            if (r.Kind.IsRetract()) state.Remove(key);
            else state[key] = (int)r.Values[2]!;
        }
    }

    private static bool Same(Dictionary<(long, string), int> a, Dictionary<(long, string), int> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    private static string Show(Dictionary<(long, string), int> s) => string.Join(" ", s.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key.Item1}{kv.Key.Item2}={kv.Value}"));

    [Fact]
    public async Task Start_modes_latest_latest_full_earliest_and_timestamp()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        var table = await new Catalog(new InMemoryObjectStore(clock), clock).CreateTableAsync(TableStore.Core.Table.Identifier.Parse("db.s"),
            TestTables.Orders(1, new Dictionary<string, string> { [CoreOptions.WriteOnlyKey] = "true" }));
        for (int i = 1; i <= 4; i++)
        {
            await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [(long)i, "c", (decimal)i, null])]);
            clock.Advance(TimeSpan.FromMinutes(10));
        }
        async Task<List<ChangeBatch>> Read(string start) =>
            await new StreamingReader(table).ReadAsync(new StreamingOptions { Start = StreamStart.Parse(start), IdleTimeout = TimeSpan.Zero }).ToListAsync();

        Assert.Empty(await Read("latest"));
        var full = await Read("latest-full");
        Assert.True(Assert.Single(full).IsFullSnapshot);
        Assert.Equal(4, full[0].Rows.Count);
        Assert.Equal([2L, 3L, 4L], (await Read("snapshot:2")).Select(b => b.SnapshotId));
        Assert.Equal([3L, 4L], (await Read("timestamp:2026-11-01T00:15:00Z")).Select(b => b.SnapshotId)); // snapshot 3 at 00:20
        await new SnapshotExpiration(table).RunAsync(new ExpireOptions(2));
        var earliest = await Read("earliest");
        Assert.Equal([3L, 4L], earliest.Select(b => b.SnapshotId));
        Assert.True(earliest[0].IsFullSnapshot);
        Assert.Equal(3, earliest[0].Rows.Count);
        var e = await Assert.ThrowsAsync<SnapshotNotFoundException>(() => Read("snapshot:1"));
        Assert.Contains("it has expired (the earliest retained is 3)", e.Message);
        Assert.Throws<InvalidInputException>(() => StreamStart.Parse("snapshot:x"));
        Assert.Throws<InvalidInputException>(() => StreamStart.Parse("yesterday"));
    }

    [Fact]
    public async Task A_consumer_resumes_where_it_stopped_and_holds_off_expiration()
    {
        var table = await TestTables.CreateAsync(new InMemoryObjectStore(), TestTables.Orders(1, new Dictionary<string, string> { [CoreOptions.WriteOnlyKey] = "true" }));
        for (int i = 1; i <= 3; i++) await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [(long)i, "c", 1m, null])]);
        var options = new StreamingOptions { Start = StreamStart.Parse("earliest"), ConsumerId = "billing", IdleTimeout = TimeSpan.Zero };
        // Reads the full snapshot 1 and the changes of 2, then stops (its progress: next is 3).
        await foreach (var batch in new StreamingReader(table).ReadAsync(options))
            if (batch.SnapshotId == 2) break;
        Assert.Equal(2, (await table.Consumers.TryGetAsync("billing"))!.NextSnapshot);
        // Progress moves past a batch only when the next one is asked for: 2 was not finished.
        await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [4L, "c", 1m, null])]);
        var outcome = await new SnapshotExpiration(table).RunAsync(new ExpireOptions(1));
        Assert.Equal((2L, 2), (outcome.EarliestRetained!.Value, outcome.ProtectedByConsumers));

        var resumed = await new StreamingReader(table).ReadAsync(options with { Start = StreamStart.Latest }).ToListAsync();
        Assert.Equal([2L, 3L, 4L], resumed.Select(b => b.SnapshotId));
        Assert.Equal(5, (await table.Consumers.TryGetAsync("billing"))!.NextSnapshot);
        Assert.Equal(["billing"], (await table.Consumers.ListAsync()).Select(c => c.Id));
        await table.Consumers.DeleteAsync("billing");
        Assert.Empty(await table.Consumers.ListAsync());
        Assert.Throws<InvalidInputException>(() => ConsumerManager.ValidateId("../x"));
    }

    [Fact]
    public async Task Append_only_streams_inserts_and_an_overwrite_retracts_the_replaced_rows()
    {
        var table = await TestTables.CreateAsync(new InMemoryObjectStore(), new TableDefinition(SchemaParser.ParseColumns("n BIGINT, s STRING"), null, null, 1));
        await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [1L, "a"]), new ChangeRow(RowKind.Insert, [2L, "b"])]);
        await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [3L, "c"])], new WriteOptions { Kind = CommitKind.Overwrite });
        var batches = await new StreamingReader(table).ReadAsync(new StreamingOptions { Start = StreamStart.Parse("snapshot:1"), IdleTimeout = TimeSpan.Zero }).ToListAsync();
        Assert.Equal(["+I 1", "+I 2"], batches[0].Rows.Select(r => $"{r.Kind.ToShortString()} {r.Values[0]}"));
        Assert.Equal(["-D 1", "-D 2", "+I 3"], batches[1].Rows.Select(r => $"{r.Kind.ToShortString()} {r.Values[0]}"));
    }
}
