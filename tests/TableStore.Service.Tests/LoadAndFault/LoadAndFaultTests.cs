using System.Diagnostics;
using System.Runtime.CompilerServices;
using TableStore.Abstractions;
using TableStore.Client;
using TableStore.Core.Tests.Support;
using TableStore.ObjectStores.Azure;
using TableStore.Service.Tests.Support;
using Xunit.Abstractions;

namespace TableStore.Service.Tests.LoadAndFault;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoadAndFaultCollection
{
    // Alone: its busy loops and paused silos must not starve the other tests.
    public const string Name = "load and faults";
}

/// <summary>
/// Three silo processes on Redis clustering over an Azure Blob warehouse (Azurite behind the fault proxy), written
/// by small writers and a large one, followed by two subscribers, while each fault cycle degrades the store, kills
/// a silo with <c>kill -9</c>, saturates the CPU, and pauses a silo past the membership timeout. Then: every
/// acknowledged write is in the table exactly once, nothing of a write known not committed is visible, snapshots
/// are a gapless chain, each subscriber got every committed change once (deduplicated by snapshot id), and the
/// orphan cleanup leaves a readable table with nothing more to clean.
/// <para>
/// CI runs one cycle. A soak runs more: <c>TABLESTORE_SOAK_CYCLES=20 dotnet test tests/TableStore.Service.Tests
/// --filter Category=LoadFault</c> (docs/reliability.md); <c>TABLESTORE_LOAD_SEED</c> replays a run's choices and
/// <c>TABLESTORE_LOAD_REPORT</c> names a file for the figures.
/// </para>
/// </summary>
[Collection(LoadAndFaultCollection.Name)]
[Trait("Category", "LoadFault")]
public sealed class LoadAndFaultTests(ITestOutputHelper output)
{
    private const string Table = "load.events";
    private const int SmallWriters = 6;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    [Fact]
    public async Task Acknowledged_writes_survive_killed_paused_and_starved_silos_and_a_failing_store()
    {
        int cycles = int.TryParse(Environment.GetEnvironmentVariable("TABLESTORE_SOAK_CYCLES"), out var c) && c > 0 ? c : 1;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("TABLESTORE_LOAD_SEED"), out var s) ? s : Environment.TickCount & 0xFFFF;
        Log($"seed {seed}, {cycles} fault cycle(s)");
        var random = new Random(seed);

        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        await using var store = new HttpFaultProxy(azurite.BlobEndpoint);
        await using var cluster = new ProcessCluster();
        var connections = new List<TableStoreClient>();
        try
        {
            var settings = new Dictionary<string, string>
            {
                ["TableStore__Warehouse"] = $"az://devstoreaccount1/load{Guid.NewGuid().ToString("N")[..12]}/lake",
                [AzureWarehouse.ConnectionStringVariable] = azurite.ConnectionString.Replace(azurite.BlobEndpoint.ToString(), $"http://127.0.0.1:{store.Port}/devstoreaccount1", StringComparison.Ordinal),
            };
            await cluster.StartRedisAsync();
            var faults = new FaultInjector(cluster, store, () => cluster.StartSiloAsync(settings: settings), random, Log);
            for (int i = 0; i < 3; i++) faults.Live.Add(await cluster.StartSiloAsync(settings: settings));

            async Task<TableStoreClient> ConnectAsync()
            {
                var connection = await TableStoreClient.ConnectAsync(string.Join(",", faults.Live.Select(l => l.Gateway)), configure: o =>
                {
                    // Short deadlines, so a writer whose silo froze learns it and retries within the test.
                    o.WriteTimeout = TimeSpan.FromSeconds(30);
                    o.CallTimeout = TimeSpan.FromSeconds(15);
                    o.UploadPartBytes = 64 << 10;
                    o.StagedCommitTimeout = TimeSpan.FromMinutes(3);
                });
                connections.Add(connection);
                return connection;
            }

            var current = new StrongBox<TableStoreClient>(await ConnectAsync());
            await current.Value!.CreateTableAsync(Table, Specs.Table("writer INT, seq BIGINT, n INT, payload STRING", [], [], 4));
            var ledger = new WriteLedger();
            await using var first = new RecordingSubscriber("first", Table);
            await using var second = new RecordingSubscriber("second", Table);
            RecordingSubscriber[] subscribers = [first, second];
            foreach (var sub in subscribers) await sub.SubscribeAsync(current.Value!);

            using var stopWriting = new CancellationTokenSource();
            var writers = Enumerable.Range(0, SmallWriters + 1)
                .Select(w => new LoadWriter(w, large: w == SmallWriters, Table, ledger, () => current.Value!)).ToList();
            var writing = writers.Select(w => Task.Run(() => w.RunAsync(stopWriting.Token))).ToList();
            var loadStarted = _clock.Elapsed;
            async Task Step(Task fault)
            {
                await fault;
                Log($"{ledger.Acknowledged().Count()} writes acknowledged so far");
            }

            for (int cycle = 1; cycle <= cycles; cycle++)
            {
                if (cycle > 1)
                {
                    // The silos that replaced the faulted ones are only known to a new connection, as for any client.
                    current.Value = await ConnectAsync();
                    foreach (var sub in subscribers) await sub.SubscribeAsync(current.Value!);
                }
                Log($"cycle {cycle}: {ledger.Acknowledged().Count()} writes acknowledged so far");
                var victims = faults.Live.OrderBy(_ => random.Next()).Take(2).ToList();
                await Task.Delay(TimeSpan.FromSeconds(5));
                await Step(faults.DegradeStoreAsync(TimeSpan.FromSeconds(12), failing: 0.1, slow: 0.2));
                await Step(faults.KillAsync(victims[0]));
                await Step(faults.SaturateCpuAsync(TimeSpan.FromSeconds(12)));
                await Step(faults.PauseAsync(victims[1]));
                await Task.Delay(TimeSpan.FromSeconds(5));
            }
            var faultsEnded = _clock.Elapsed;
            stopWriting.Cancel();
            var settled = Task.WhenAll(writing);
            if (await Task.WhenAny(settled, Task.Delay(TimeSpan.FromMinutes(5))) != settled)
                Assert.Fail($"Writers did not get an answer within 5 min of the last fault; unsettled: {string.Join(", ", ledger.Unsettled.Select(w => w.Id))}");
            await settled;
            var loadTime = _clock.Elapsed - loadStarted;
            Assert.True(ledger.UnclassifiedErrors.Count == 0, "Errors that did not say whether the write committed, or said not to retry a transient fault:\n" + string.Join("\n", ledger.UnclassifiedErrors.Take(20)));

            var final = await ConnectAsync();
            var acknowledged = ledger.Acknowledged().ToList();
            var notCommitted = ledger.All.Where(w => w.NotCommitted).ToList();
            await AssertTableHoldsExactlyTheAcknowledgedWritesAsync(final, ledger);
            var snapshots = (await final.ListSnapshotsAsync(Table)).Select(x => x.Id).Order().ToList();
            Assert.Equal(Enumerable.Range((int)snapshots[0], snapshots.Count).Select(i => (long)i), snapshots); // gapless
            foreach (var sub in subscribers) await AssertDeliveredEveryCommittedChangeOnceAsync(sub, ledger, snapshots[^1]);
            var orphans = await AssertOrphansCleanedAsync(final, ledger, faultsEnded);

            var report = $"""
                load-and-fault run (seed {seed}, {cycles} fault cycle(s), 3 silos, Redis clustering, Azure Blob warehouse on Azurite behind the fault proxy)
                load time: {loadTime.TotalSeconds:0} s; writers: {SmallWriters} small (1-20 rows per write), 1 large ({LoadWriter.LargeRows} rows per write, uploaded in 64 KiB parts)
                writes acknowledged: {acknowledged.Count} ({acknowledged.Count / loadTime.TotalSeconds:0.0}/s), rows {acknowledged.Sum(w => (long)w.Rows)}, large writes {acknowledged.Count(w => w.Rows == LoadWriter.LargeRows)}
                writes known not committed (given up, none visible): {notCommitted.Count}; unknown outcomes retried: {ledger.UnknownReplies}, of which found already committed: {ledger.RetriedCommitted}
                writes lost: 0; duplicated: 0; snapshots: {snapshots.Count} (gapless {snapshots[0]}..{snapshots[^1]})
                deliveries per subscriber: {string.Join(", ", subscribers.Select(x => $"{x.Name} {x.Appended.Count} snapshots, {x.Duplicates} duplicates dropped"))}
                orphan files removed after the run: {orphans}
                faults injected: {string.Join("; ", faults.Injected.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} {kv.Value}"))}
                """;
            Log(report);
            if (Environment.GetEnvironmentVariable("TABLESTORE_LOAD_REPORT") is { Length: > 0 } path) await File.WriteAllTextAsync(path, report + "\n");
        }
        catch (Exception)
        {
            foreach (var silo in cluster.Silos)
                Log($"--- silo {silo.Gateway} (exited: {silo.Process.HasExited}), last lines:\n" + string.Join("\n", cluster.Output(silo.Process).Split('\n').TakeLast(25)));
            throw;
        }
        finally
        {
            foreach (var connection in connections)
            {
                try { await connection.DisposeAsync(); }
                catch (Exception) { }
            }
            await azurite.DisposeAsync();
        }
    }

    /// <summary>Each acknowledged write's rows once, nothing else: no write known not committed, no duplicate.</summary>
    private static async Task AssertTableHoldsExactlyTheAcknowledgedWritesAsync(TableStoreClient client, WriteLedger ledger)
    {
        var rows = await ScanAsync(client, null);
        var byWrite = rows.GroupBy(r => (r.Writer, r.Seq)).ToDictionary(g => g.Key, g => g.Select(r => r.N).ToList());
        var acknowledged = ledger.Acknowledged().ToDictionary(w => (w.Writer, w.Seq));
        foreach (var (key, ns) in byWrite)
        {
            Assert.True(acknowledged.TryGetValue(key, out var w), $"Rows of write {WriteLedger.IdOf(key.Writer, key.Seq)} are visible, but it was not acknowledged.");
            Assert.True(ns.Count == w.Rows && ns.Distinct().Count() == w.Rows, $"Write {w.Id} of {w.Rows} rows is in the table as {ns.Count} rows, {ns.Distinct().Count()} distinct.");
        }
        var missing = acknowledged.Values.Where(w => !byWrite.ContainsKey((w.Writer, w.Seq))).Select(w => $"{w.Id} (snapshot {w.Snapshot})").ToList();
        Assert.True(missing.Count == 0, $"Acknowledged writes missing from the table: {string.Join(", ", missing.Take(20))}");
    }

    /// <summary>After deduplication by snapshot id, each append snapshot's rows are exactly the writes acknowledged with it.</summary>
    private async Task AssertDeliveredEveryCommittedChangeOnceAsync(RecordingSubscriber sub, WriteLedger ledger, long latest)
    {
        for (var deadline = _clock.Elapsed + TimeSpan.FromMinutes(3); sub.NextSnapshot <= latest; await Task.Delay(200))
        {
            Assert.True(sub.Failure is null, $"Subscriber {sub.Name} failed: {sub.Failure}");
            Assert.True(_clock.Elapsed < deadline, $"Subscriber {sub.Name} is at snapshot {sub.NextSnapshot} 3 min after the load; the table is at {latest}.");
        }
        Assert.True(sub.Conflicts.Count == 0, string.Join("\n", sub.Conflicts));
        var expected = ledger.Acknowledged().GroupBy(w => w.Snapshot!.Value)
            .ToDictionary(g => g.Key, g => g.ToDictionary(w => (w.Writer, w.Seq), w => w.Rows));
        var delivered = sub.Appended.Where(kv => kv.Value.Count > 0)
            .ToDictionary(kv => kv.Key, kv => kv.Value.GroupBy(r => (r.Writer, r.Seq)).ToDictionary(g => g.Key, g => g.Select(r => r.N).Distinct().Count() == g.Count() ? g.Count() : -g.Count()));
        foreach (var (snapshot, writes) in expected)
        {
            Assert.True(delivered.TryGetValue(snapshot, out var got), $"Subscriber {sub.Name} never got snapshot {snapshot} ({writes.Count} acknowledged writes).");
            Assert.Equal(writes.OrderBy(kv => kv.Key), got.OrderBy(kv => kv.Key));
        }
        var extra = delivered.Keys.Except(expected.Keys).ToList();
        Assert.True(extra.Count == 0, $"Subscriber {sub.Name} got rows in snapshots no acknowledged write committed: {string.Join(", ", extra)}");
    }

    /// <summary>
    /// The cleanup removes what killed writers left (older than its threshold, so no write in flight is touched); the
    /// table and its oldest retained snapshot stay whole, and a second look finds nothing more.
    /// </summary>
    private async Task<int> AssertOrphansCleanedAsync(TableStoreClient client, WriteLedger ledger, TimeSpan faultsEnded)
    {
        var threshold = TimeSpan.FromSeconds(20);
        var wait = faultsEnded + threshold + TimeSpan.FromSeconds(5) - _clock.Elapsed;
        if (wait > TimeSpan.Zero) await Task.Delay(wait); // what the faults left is then older than the threshold
        var cleaned = await client.CleanOrphansAsync(Table, new OrphanCleanOptions(threshold, false));
        var again = await client.CleanOrphansAsync(Table, new OrphanCleanOptions(threshold, true));
        Assert.True(again.Orphans.Count == 0, $"Orphans left after a cleanup: {string.Join(", ", again.Orphans.Select(o => o.Path))}");
        await AssertTableHoldsExactlyTheAcknowledgedWritesAsync(client, ledger);
        var oldest = (await client.ListSnapshotsAsync(Table)).Min(x => x.Id);
        Assert.NotNull(await ScanAsync(client, oldest)); // every file of the oldest retained snapshot is still there
        return cleaned.Orphans.Count;
    }

    private static async Task<List<(int Writer, long Seq, int N)>> ScanAsync(TableStoreClient client, long? snapshot)
    {
        var scan = await client.ScanAsync(Table, new ScanOptions { SnapshotId = snapshot });
        var rows = new List<(int, long, int)>();
        await foreach (var r in scan.Rows) rows.Add(((int)r[0]!, (long)r[1]!, (int)r[2]!));
        return rows;
    }

    private void Log(string message)
    {
        lock (_clock)
        {
            try { output.WriteLine($"[{_clock.Elapsed:mm\\:ss}] {message}"); }
            catch (InvalidOperationException) { } // a background fault finished after the test
        }
    }
}
