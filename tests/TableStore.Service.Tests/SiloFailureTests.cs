using System.Collections.Concurrent;
using TableStore.Abstractions;
using TableStore.Core.Data;
using TableStore.Service.Tests.Support;
using Xunit.Abstractions;

namespace TableStore.Service.Tests;

public sealed class SiloFailureCluster() : ClusterFixture(3, maxWriteAttempts: 12);

/// <summary>
/// A silo is killed (no graceful shutdown) while clients write. Every acknowledged write must be present exactly
/// once; every write that failed in the end is absent or present exactly once, whole (never some of its rows); and
/// writing carries on, bucket writers and commit grains reactivating on the surviving silos.
/// </summary>
public sealed class SiloFailureTests(SiloFailureCluster fixture, ITestOutputHelper output) : IClassFixture<SiloFailureCluster>
{
    private const int Clients = 8;
    private const int WritesPerClient = 30;
    private const int RowsPerWrite = 10;

    [Fact]
    public async Task Killing_a_silo_mid_write_loses_no_acknowledged_write_and_duplicates_none()
    {
        var client = fixture.Client;
        const string table = "t.events";
        await client.CreateTableAsync(table, Specs.Table("client INT NOT NULL, write INT NOT NULL, row INT NOT NULL, payload STRING",
            [], [], 4));
        var acknowledged = new ConcurrentDictionary<(int, int), long>();
        var failed = new ConcurrentDictionary<(int, int), string>();
        int started = 0;
        var killAt = Clients * WritesPerClient / 3;
        var killed = new TaskCompletionSource();

        var writers = Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            for (int w = 0; w < WritesPerClient; w++)
            {
                if (Interlocked.Increment(ref started) == killAt)
                {
                    await fixture.Cluster.KillSiloAsync(fixture.Cluster.SecondarySilos[0]);
                    killed.SetResult();
                }
                var rows = Enumerable.Range(0, RowsPerWrite)
                    .Select(r => new ChangeRow(RowKind.Insert, [c, w, r, $"client {c} write {w} row {r}"])).ToList();
                try
                {
                    var result = await client.WriteAsync(table, rows);
                    acknowledged[(c, w)] = result!.SnapshotId;
                }
                catch (Exception e)
                {
                    failed[(c, w)] = e.GetType().Name + ": " + e.Message;
                }
            }
        })).ToList();
        await Task.WhenAll(writers);
        Assert.True(killed.Task.IsCompleted);
        output.WriteLine($"{acknowledged.Count} writes acknowledged, {failed.Count} failed after retries, in {acknowledged.Values.Distinct().Count()} snapshots");
        foreach (var reason in failed.Values.Take(5)) output.WriteLine("failed: " + reason);

        var counts = new Dictionary<(int, int), int>();
        var rowsSeen = new HashSet<(int, int, int)>();
        var scan = await client.ScanAsync(table, new ScanOptions());
        await foreach (var r in scan.Rows)
        {
            var key = ((int)r[0]!, (int)r[1]!);
            Assert.True(rowsSeen.Add((key.Item1, key.Item2, (int)r[2]!)), $"row {key} #{r[2]} is duplicated");
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        foreach (var (write, _) in acknowledged)
            Assert.True(counts.GetValueOrDefault(write) == RowsPerWrite, $"acknowledged write {write} has {counts.GetValueOrDefault(write)} of {RowsPerWrite} rows");
        foreach (var (write, reason) in failed)
            Assert.True(counts.GetValueOrDefault(write) is 0 or RowsPerWrite, $"failed write {write} ({reason}) is partly visible: {counts.GetValueOrDefault(write)} rows");
        // The cluster carried on: after the kill, writes were acknowledged again (reactivated elsewhere).
        Assert.True(failed.Count < Clients * WritesPerClient / 4, $"{failed.Count} writes failed: {string.Join("; ", failed.Values.Take(3))}");
        for (int c = 0; c < Clients; c++)
            Assert.True(acknowledged.ContainsKey((c, WritesPerClient - 1)), $"client {c}'s last write failed: {failed.GetValueOrDefault((c, WritesPerClient - 1))}");
    }
}
