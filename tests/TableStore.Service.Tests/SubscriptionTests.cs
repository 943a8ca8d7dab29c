using System.Collections.Concurrent;
using TableStore.Abstractions;
using TableStore.Client;
using TableStore.Core.Data;
using TableStore.Core.Streaming;
using TableStore.Service.Tests.Support;
using Xunit.Abstractions;

namespace TableStore.Service.Tests;

public sealed class SubscriptionCluster() : ClusterFixture(3, maxWriteAttempts: 12);

/// <summary>
/// Subscribers through the cluster: each snapshot delivered exactly once, in order, and rebuilding the table from
/// the deliveries gives the model's state at every snapshot — while writers run, when resubscribing from a
/// snapshot, and across a silo that is killed mid-subscription.
/// </summary>
public sealed class SubscriptionTests(SubscriptionCluster fixture, ITestOutputHelper output) : IClassFixture<SubscriptionCluster>
{
    private const int Writers = 6;
    private const int WritesPerWriter = 15;

    /// <summary>Deliveries of one subscription: each snapshot's rebuilt state, in delivery order.</summary>
    private sealed class Recorder
    {
        private readonly Dictionary<long, int> _state = [];
        private readonly List<long> _ids = [];

        /// <summary>The snapshot ids received so far (a copy: batches keep arriving while a test reads them).</summary>
        public List<long> Ids { get { lock (_ids) return [.. _ids]; } }
        public ConcurrentDictionary<long, Dictionary<long, int>> States { get; } = new();
        public ConcurrentDictionary<long, List<string>> Changes { get; } = new();

        public Task OnBatchAsync(ChangeBatch batch)
        {
            lock (_ids) _ids.Add(batch.SnapshotId);
            Changes[batch.SnapshotId] = batch.Rows.Select(r => $"{r.Kind.ToShortString()} {r.Values[0]} {r.Values[1]}").ToList();
            foreach (var r in batch.Rows)
            {
                var key = (long)r.Values[0]!;
                if (r.Kind.IsRetract()) _state.Remove(key);
                else _state[key] = (int)r.Values[1]!;
            }
            States[batch.SnapshotId] = new(_state);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Subscribers_rebuild_every_snapshot_while_writers_run_and_after_a_silo_is_killed()
    {
        var client = fixture.Client;
        var table = Specs.NewTable("feed");
        await client.CreateTableAsync(table, Specs.Table("id BIGINT, v INT", ["id"], [], 4,
            new Dictionary<string, string> { ["num-sorted-run.compaction-trigger"] = "3" }));
        var live = new Recorder();
        await using var subscription = await client.SubscribeAsync(table, live.OnBatchAsync, new SubscriptionOptions { Start = "snapshot:1", CatchUpInterval = TimeSpan.FromMilliseconds(200) });

        // Writers own disjoint keys, so the model at a snapshot is every write committed at or before it.
        var writes = new ConcurrentBag<(long Snapshot, int Writer, int Seq, List<ChangeRow> Rows)>();
        int done = 0;
        var killed = false;
        var tasks = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            for (int i = 0; i < WritesPerWriter; i++)
            {
                var rows = Enumerable.Range(0, random.Next(1, 6)).Select(_ =>
                {
                    long key = w * 1000 + random.Next(20);
                    return random.Next(5) == 0 ? new ChangeRow(RowKind.Delete, [key, null]) : new ChangeRow(RowKind.Insert, [key, random.Next(1000)]);
                }).ToList();
                var result = await client.WriteAsync(table, rows.Select(r => r with { Values = (object?[])r.Values.Clone() }).ToList());
                writes.Add((result!.SnapshotId, w, i, rows));
                if (Interlocked.Increment(ref done) == Writers * WritesPerWriter / 2 && !killed)
                {
                    killed = true;
                    await fixture.Cluster.KillSiloAsync(fixture.Cluster.SecondarySilos[0]);
                    output.WriteLine("killed a silo");
                }
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        var latest = (await client.ListSnapshotsAsync(table)).Max(s => s.Id);
        for (int poll = 0; poll < 1200 && subscription.NextSnapshot <= latest && !subscription.Completion.IsCompleted; poll++) await Task.Delay(50);
        if (subscription.Completion.IsFaulted) await subscription.Completion;

        // Each snapshot once, in order (background compactions may have added snapshots after `latest`).
        var ids = live.Ids;
        Assert.Equal(Enumerable.Range(1, ids.Count).Select(i => (long)i), ids);
        Assert.True(ids.Count >= latest);
        var model = new Dictionary<long, int>();
        var byWriter = writes.OrderBy(x => x.Snapshot).ThenBy(x => x.Writer).ThenBy(x => x.Seq).ToList();
        int next = 0;
        for (long id = 1; id <= latest; id++)
        {
            for (; next < byWriter.Count && byWriter[next].Snapshot == id; next++)
                foreach (var r in byWriter[next].Rows)
                {
                    var key = (long)r.Values[0]!;
                    if (r.Kind.IsRetract()) model.Remove(key); else model[key] = (int)r.Values[1]!;
                }
            Assert.True(model.Count == live.States[id].Count && model.All(kv => live.States[id].TryGetValue(kv.Key, out var v) && v == kv.Value),
                $"snapshot {id}: the subscriber's state differs from the model");
        }

        // A second subscriber from snapshot N gets exactly the same batches from N on.
        long from = latest / 2;
        var again = new Recorder();
        await using (var resubscribed = await client.SubscribeAsync(table, again.OnBatchAsync, new SubscriptionOptions { Start = $"snapshot:{from}" }))
        {
            for (int poll = 0; poll < 600 && resubscribed.NextSnapshot <= latest; poll++) await Task.Delay(50);
        }
        Assert.Equal(Enumerable.Range((int)from, (int)(latest - from + 1)).Select(i => (long)i), again.Ids.Where(i => i <= latest));
        foreach (var id in again.Ids.Where(i => i <= latest)) Assert.Equal(live.Changes[id], again.Changes[id]);
    }

    [Fact]
    public async Task A_consumer_subscription_resumes_after_its_last_delivered_snapshot()
    {
        var client = fixture.Client;
        var table = Specs.NewTable("resume");
        await client.CreateTableAsync(table, Specs.Table("id BIGINT, v INT", ["id"], [], 1));
        for (int i = 0; i < 3; i++) await client.WriteAsync(table, [new ChangeRow(RowKind.Insert, [(long)i, i])]);
        var first = new Recorder();
        await using (var s = await client.SubscribeAsync(table, first.OnBatchAsync, new SubscriptionOptions { Start = "earliest", ConsumerId = "agg", CatchUpInterval = TimeSpan.FromMilliseconds(100) }))
            await Wait.UntilAsync(() => s.NextSnapshot == 4, "the subscription at snapshot 4"); // snapshot 1 whole, then the changes of 2 and 3
        Assert.Equal([1L, 2L, 3L], first.Ids);
        await client.WriteAsync(table, [new ChangeRow(RowKind.Insert, [9L, 9])]);
        var second = new Recorder();
        await using (var s = await client.SubscribeAsync(table, second.OnBatchAsync, new SubscriptionOptions { Start = "earliest", ConsumerId = "agg", CatchUpInterval = TimeSpan.FromMilliseconds(100) }))
            await Wait.UntilAsync(() => s.NextSnapshot == 5, "the subscription at snapshot 5");
        Assert.Equal([4L], second.Ids); // resumed, not restarted
        Assert.Equal(5, Assert.Single(await client.ListConsumersAsync(table)).NextSnapshot);
        await client.DropConsumerAsync(table, "agg");
        Assert.Empty(await client.ListConsumersAsync(table));
    }
}
