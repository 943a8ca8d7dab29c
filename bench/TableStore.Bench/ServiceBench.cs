using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using RocksDbSharp;
using TableStore.Abstractions;
using TableStore.Client;
using TableStore.Core.Api;
using TableStore.Core.Data;
using TableStore.Core.IO;
using TableStore.Core.Lookup;
using TableStore.Core.Schema;
using TableStore.Core.Table;
using TableStore.Grains.Hosting;

namespace TableStore.Bench;

/// <summary>
/// The service side by side with its peers in one run: ingest through grains (1 and 3 silos in this process, 4 and 16
/// buckets) against direct core writes of the same rows, and point lookups through grains against RocksDB Get on the
/// same keys.
/// </summary>
internal static class ServiceBench
{
    private static int Writers = 16;
    private static int BatchRows = 2000;

    public static async Task RunAsync(OrderData data, int lookups, int writers, int batchRows, int runs)
    {
        (Writers, BatchRows) = (writers, batchRows);
        var root = Path.Combine(Path.GetTempPath(), "ts-service-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        int dir = 0;
        string NextDir() => Path.Combine(root, (dir++).ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            var lookupReport = new StringWriter();
            Console.WriteLine($"| ingest, {data.Rows.Count:N0} rows (median of {runs}, min–max) | rows/s | vs direct core |");
            Console.WriteLine("| --- | ---: | ---: |");
            foreach (int buckets in new[] { 4, 16 })
            {
                // Direct and grain runs alternate, after two warm-up rounds (JIT tiering keeps speeding both up for a
                // while), so drift in machine load and code quality hits both alike. Cluster start-up is not timed.
                var direct = new List<double>();
                var grains = new Dictionary<int, List<double>> { [1] = [], [3] = [] };
                for (int round = -2; round < runs; round++)
                {
                    double d = await DirectAsync(data, buckets, NextDir());
                    if (round >= 0) direct.Add(d);
                    foreach (int silos in new[] { 1, 3 })
                    {
                        await using var cluster = await StartAsync(silos, NextDir());
                        double g = await IngestAsync(cluster, data, buckets);
                        if (round >= 0) grains[silos].Add(g);
                        if (round == runs - 1 && silos == 3 && buckets == 4 && lookups > 0)
                            await LookupsAsync(cluster, data, lookups, NextDir(), lookupReport);
                    }
                }
                double baseline = OrderData.Median(direct);
                Console.WriteLine($"| direct core, {buckets} buckets, 4 commits | {Range(direct)} | 100% |");
                foreach (var (silos, rates) in grains)
                    Console.WriteLine($"| grains, {silos} silo{(silos == 1 ? "" : "s")}, {buckets} buckets, {Writers} writers × 2 in flight × {BatchRows:N0} rows | {Range(rates)} | {OrderData.Median(rates) / baseline:P0} |");
            }
            Console.Write(lookupReport);
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); }
            catch (IOException) { }
        }
    }


    private static string Range(List<double> values) => $"{OrderData.Median(values):N0} ({values.Min():N0}–{values.Max():N0})";

    private static async Task<double> DirectAsync(OrderData data, int buckets, string dir)
    {
        var table = await new Catalog(new LocalFileSystemObjectStore(dir)).CreateTableAsync(Identifier.Parse("bench.orders"),
            new TableDefinition(SchemaParser.ParseColumns(OrderData.Schema), ["id"], null, buckets));
        var rows = Copy(data.Rows);
        var sw = Stopwatch.StartNew();
        int per = rows.Count / 4;
        for (int c = 0; c < 4; c++) await table.WriteAndCommitAsync(rows.GetRange(c * per, c == 3 ? rows.Count - c * per : per));
        return rows.Count / sw.Elapsed.TotalSeconds;
    }

    private static async Task<double> IngestAsync(BenchCluster cluster, OrderData data, int buckets)
    {
        var client = cluster.Client;
        await client.CreateTableAsync("bench.orders", new TableDefinition(SchemaParser.ParseColumns(OrderData.Schema), ["id"], Buckets: buckets));
        var rows = Copy(data.Rows);
        var batches = Enumerable.Range(0, (rows.Count + BatchRows - 1) / BatchRows)
            .Select(b => rows.GetRange(b * BatchRows, Math.Min(BatchRows, rows.Count - b * BatchRows))).ToList();
        int next = -1;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
        {
            // Each writer keeps two writes in flight, as a streaming producer does: the next write is sent while
            // the previous one waits for its group commit.
            var inFlight = new Queue<Task>();
            for (int b; (b = Interlocked.Increment(ref next)) < batches.Count;)
            {
                if (inFlight.Count == 2) await inFlight.Dequeue();
                inFlight.Enqueue(client.WriteAsync("bench.orders", batches[b]));
            }
            await Task.WhenAll(inFlight);
        })));
        return rows.Count / sw.Elapsed.TotalSeconds;
    }

    private static async Task LookupsAsync(BenchCluster cluster, OrderData data, int count, string rocksDir, TextWriter report)
    {
        var client = cluster.Client;
        var random = new Random(3);
        var keys = Enumerable.Range(0, count).Select(_ => (long)random.Next(data.DistinctKeys)).ToArray();

        // RocksDB holds the same final rows: key = id (8 bytes big-endian), value = the row's values as text.
        var latest = new Dictionary<long, object?[]>();
        foreach (var r in data.Rows) latest[(long)r.Values[0]!] = r.Values;
        using var db = RocksDb.Open(new DbOptions().SetCreateIfMissing(true), rocksDir);
        foreach (var (id, values) in latest) db.Put(Key(id), System.Text.Encoding.UTF8.GetBytes(string.Join('\u0001', values.Select(Values.Format))));

        report.WriteLine();
        report.WriteLine($"| point lookups, {count:N0} random keys, 3 silos, 4 buckets | p50 µs | p99 µs | lookups/s |");
        report.WriteLine("| --- | ---: | ---: | ---: |");
        var cold = await MeasureAsync(keys, 64, async k => (await client.LookupAsync("bench.orders", [k])).Row is not null);
        report.WriteLine($"| grains, cold (first lookups after ingest), 64 concurrent | {cold.P50:N0} | {cold.P99:N0} | {cold.Rate:N0} |");
        foreach (int concurrency in new[] { 1, 8, 64 })
        {
            var warm = await MeasureAsync(keys, concurrency, async k => (await client.LookupAsync("bench.orders", [k])).Row is not null);
            report.WriteLine($"| grains, warm, {concurrency} concurrent | {warm.P50:N0} | {warm.P99:N0} | {warm.Rate:N0} |");
        }
        foreach (int concurrency in new[] { 1, 8 })
        {
            var rocks = await MeasureAsync(keys, concurrency, k => Task.FromResult(db.Get(Key(k)) is not null));
            report.WriteLine($"| RocksDB Get (same keys, in process), {concurrency} concurrent | {rocks.P50:N1} | {rocks.P99:N1} | {rocks.Rate:N0} |");
        }
    }

    /// <summary>
    /// Point lookups in process (<c>… rows runs lookups-in-process [lookups]</c>): the rows written into a primary-key
    /// table of 4 buckets on the local file system (4 commits, then a full compaction, as a served table settles), then
    /// <see cref="TableLookup"/> against RocksDB <c>Get</c> on the same random keys, one and eight at a time.
    /// </summary>
    public static async Task InProcessLookupsAsync(OrderData data, int count, TextWriter report)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"tablestore-lookups-{Guid.NewGuid():N}");
        try
        {
            var table = await new Catalog(ObjectStoreExtensions.OpenWarehouse(Path.Combine(dir, "warehouse")))
                .CreateTableAsync(Identifier.Parse("bench.orders"), new TableDefinition(SchemaParser.ParseColumns(OrderData.Schema), ["id"], null, 4));
            int per = data.Rows.Count / 4;
            for (int c = 0; c < 4; c++) await table.WriteAndCommitAsync(Copy(data.Rows.GetRange(c * per, c == 3 ? data.Rows.Count - 3 * per : per)));
            await table.CompactAsync(new CompactOptions { Full = true });
            var random = new Random(3);
            var keys = Enumerable.Range(0, count).Select(_ => (long)random.Next(data.DistinctKeys)).ToArray();
            var latest = new Dictionary<long, object?[]>();
            foreach (var r in data.Rows) latest[(long)r.Values[0]!] = r.Values;
            using var db = RocksDb.Open(new DbOptions().SetCreateIfMissing(true), Path.Combine(dir, "rocks"));
            foreach (var (id, values) in latest) db.Put(Key(id), System.Text.Encoding.UTF8.GetBytes(string.Join('\u0001', values.Select(Values.Format))));

            var lookupCache = new LookupFileCache(256L << 20);
            var lookup = new TableLookup(table, lookupCache);
            report.WriteLine($"| point lookups in process, {count:N0} random keys, 4 buckets | p50 µs | p99 µs | lookups/s |");
            report.WriteLine("| --- | ---: | ---: | ---: |");
            var cold = await MeasureAsync(keys, 1, async k => (await lookup.LookupAsync([k])).Row is not null);
            report.WriteLine($"| TableLookup, cold (files decoded on first use), 1 at a time | {cold.P50:N1} | {cold.P99:N1} | {cold.Rate:N0} |");
            // The engine's own cost: the bucket's lookup at a snapshot resolved once (TableLookup resolves the latest
            // snapshot per call, which on a local store reads the hint file and checks for a newer snapshot).
            var snapshot = (await table.Snapshots.LatestAsync())!;
            var router = new KeyRouter(table.Schema);
            var buckets = new System.Collections.Concurrent.ConcurrentDictionary<int, BucketLookup>();
            async Task<bool> Pinned(long k)
            {
                object?[] key = [k];
                var (partition, bucket) = router.Locate(key);
                return await buckets.GetOrAdd(bucket, b => new BucketLookup(table, partition, b, lookupCache)).LookupAsync(snapshot, key) is not null;
            }
            foreach (int concurrency in new[] { 1, 8 })
            {
                var warm = await MeasureAsync(keys, concurrency, async k => (await lookup.LookupAsync([k])).Row is not null);
                report.WriteLine($"| TableLookup, warm, {concurrency} concurrent | {warm.P50:N1} | {warm.P99:N1} | {warm.Rate:N0} |");
                var pinned = await MeasureAsync(keys, concurrency, Pinned);
                report.WriteLine($"| BucketLookup at a resolved snapshot, warm, {concurrency} concurrent | {pinned.P50:N1} | {pinned.P99:N1} | {pinned.Rate:N0} |");
                var rocks = await MeasureAsync(keys, concurrency, k => Task.FromResult(db.Get(Key(k)) is not null));
                report.WriteLine($"| RocksDB Get, {concurrency} concurrent | {rocks.P50:N1} | {rocks.P99:N1} | {rocks.Rate:N0} |");
            }
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    private static byte[] Key(long id)
    {
        var b = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(b, id);
        return b;
    }

    private sealed record Latency(double P50, double P99, double Rate);

    private static async Task<Latency> MeasureAsync(long[] keys, int concurrency, Func<long, Task<bool>> lookup)
    {
        var micros = new double[keys.Length];
        int next = -1, found = 0;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            for (int i; (i = Interlocked.Increment(ref next)) < keys.Length;)
            {
                long start = Stopwatch.GetTimestamp();
                if (await lookup(keys[i])) Interlocked.Increment(ref found);
                micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
        })));
        double seconds = total.Elapsed.TotalSeconds;
        if (found != keys.Length) throw new InvalidOperationException($"Only {found} of {keys.Length} keys were found.");
        Array.Sort(micros);
        return new Latency(micros[micros.Length / 2], micros[(int)(micros.Length * 0.99)], keys.Length / seconds);
    }

    private static List<ChangeRow> Copy(List<ChangeRow> rows) => rows.Select(r => r with { Values = (object?[])r.Values.Clone() }).ToList();

    private sealed class BenchCluster(TestCluster cluster) : IAsyncDisposable
    {
        public TableStoreClient Client => cluster.Client.ServiceProvider.GetRequiredService<TableStoreClient>();

        public async ValueTask DisposeAsync()
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    private static async Task<BenchCluster> StartAsync(int silos, string warehouse)
    {
        Directory.CreateDirectory(warehouse);
        var builder = new TestClusterBuilder((short)silos);
        builder.Properties["TableStore:Warehouse"] = warehouse;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new BenchCluster(cluster);
    }

    public sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.AddTableStore(siloBuilder.Configuration.GetSection("TableStore"));
    }

    public sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) => clientBuilder.AddTableStoreClient();
    }
}
