using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using TableStore.Abstractions;
using TableStore.Client;
using TableStore.Core.Api;
using TableStore.Core.Data;
using TableStore.Core.IO;
using TableStore.Core.Manifest;
using TableStore.Core.Schema;
using TableStore.Core.Table;
using TableStore.Grains.Hosting;
using TableStore.Streaming.Kafka.Hosting;
using TableStore.Testing;

namespace TableStore.Bench;

/// <summary>
/// Freshness: the time from a write call to the moment a subscriber receives its rows, under a steady write load,
/// for several commit intervals and stream providers (in memory, or Kafka: librdkafka's mock cluster in this process,
/// or <c>KAFKA_BOOTSTRAP_SERVERS</c>); and what each interval costs in commits and level-0 files.
/// </summary>
internal static class FreshnessBench
{
    public static async Task RunAsync(int seconds, int writers, int rowsPerWrite, int pauseMs, string[] intervals, string[] providers)
    {
        Console.WriteLine($"## Freshness: {writers} writers × {rowsPerWrite} rows, a write every {pauseMs} ms each, {seconds} s per setting, 1 silo, 4 buckets");
        Console.WriteLine("| CommitInterval | streams | writes | p50 ms | p90 ms | p99 ms | max ms | commits | level-0 files written |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        using var kafka = providers.Contains("kafka") ? new KafkaMockCluster() : null;
        var breakdowns = new List<string>();
        foreach (var interval in intervals)
            foreach (var provider in providers)
                breakdowns.Add(await OneAsync(TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture), provider == "kafka" ? kafka!.BootstrapServers : null, seconds, writers, rowsPerWrite, pauseMs));
        Console.WriteLine();
        Console.WriteLine("Where the time goes (p50 ms). The snapshot's commit time splits each latency in two: write call → snapshot commit " +
            "(waiting for the commit interval, writing the files, writing manifests and the snapshot) and snapshot commit → subscriber " +
            "(the rest of the snapshot put, reading its changes back, publishing, delivery). Group commit and snapshot put are the silo's " +
            "metrics (tablestore.service.commit.batch.duration, tablestore.commit.duration), publish read and send its tablestore.service.publish.* ones.");
        Console.WriteLine("| CommitInterval | streams | write → subscriber | write → snapshot | snapshot → subscriber | group commit (seal, flush, commit) | of it, snapshot put (manifests, snapshot) | publish: read changes | publish: send, acknowledged |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var line in breakdowns) Console.WriteLine(line);
    }

    private static async Task<string> OneAsync(TimeSpan interval, string? kafka, int seconds, int writers, int rowsPerWrite, int pauseMs)
    {
        // The silo's own step timings, from its metrics (the silo runs in this process).
        var steps = new ConcurrentDictionary<string, ConcurrentBag<double>>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        string[] wanted = ["tablestore.service.commit.batch.duration", "tablestore.commit.duration", "tablestore.service.publish.read.duration", "tablestore.service.publish.send.duration"];
        listener.InstrumentPublished = (instrument, l) => { if (wanted.Contains(instrument.Name)) l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => steps.GetOrAdd(instrument.Name, _ => []).Add(value));
        listener.Start();
        var sinceCommit = new ConcurrentBag<double>();
        var warehouse = Directory.CreateTempSubdirectory("tablestore-freshness-").FullName;
        var builder = new TestClusterBuilder(1);
        builder.Properties["TableStore:Warehouse"] = warehouse;
        builder.Properties["TableStore:CommitInterval"] = interval.ToString();
        if (kafka is not null)
        {
            builder.Properties["TableStore:Kafka:BootstrapServers"] = kafka;
            builder.Properties["TableStore:Kafka:Topic"] = "freshness-" + Guid.NewGuid().ToString("N")[..8];
        }
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        try
        {
            var client = cluster.Client.ServiceProvider.GetRequiredService<TableStoreClient>();
            const string table = "bench.fresh";
            await client.CreateTableAsync(table, new TableDefinition(SchemaParser.ParseColumns("id BIGINT, sent BIGINT, payload STRING"), ["id"], Buckets: 4));
            var latencies = new ConcurrentBag<double>();
            await using var subscription = await client.SubscribeAsync(table, batch =>
            {
                long now = Stopwatch.GetTimestamp();
                double fromCommit = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - batch.TimeMillis;
                foreach (var r in batch.Rows)
                {
                    latencies.Add(Stopwatch.GetElapsedTime((long)r.Values[1]!, now).TotalMilliseconds);
                    sinceCommit.Add(fromCommit);
                }
                return Task.CompletedTask;
            }, new SubscriptionOptions { Start = "latest" });

            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
            long nextId = 0, writes = 0;
            var tasks = Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    long sent = Stopwatch.GetTimestamp();
                    var rows = Enumerable.Range(0, rowsPerWrite).Select(_ => new ChangeRow(RowKind.Insert, [Interlocked.Increment(ref nextId), sent, "payload"])).ToList();
                    await client.WriteAsync(table, rows);
                    Interlocked.Increment(ref writes);
                    await Task.Delay(pauseMs);
                }
            })).ToArray();
            await Task.WhenAll(tasks);
            var expected = Interlocked.Read(ref nextId);
            for (int i = 0; i < 200 && latencies.Count < expected; i++) await Task.Delay(50);

            var sorted = latencies.Order().ToList();
            double P(double q) => sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];
            var t = await new Catalog(new LocalFileSystemObjectStore(warehouse)).GetTableAsync(Identifier.Parse(table));
            int commits = 0, files = 0;
            foreach (var s in await t.Snapshots.ListAsync())
            {
                if (s.CommitKind != CommitKind.Append) continue;
                commits++;
                foreach (var m in await t.Manifests.ReadManifestListAsync(s.DeltaManifestList))
                    files += (await t.Manifests.ReadManifestAsync(m.FileName)).Count(e => e.Kind == FileKind.Add);
            }
            Console.WriteLine($"| {interval.TotalMilliseconds:N0} ms | {(kafka is null ? "in memory" : "Kafka")} | {writes:N0} | {P(0.5):N0} | {P(0.9):N0} | {P(0.99):N0} | {sorted[^1]:N0} | {commits:N0} | {files:N0} |");
            if (sorted.Count < expected) Console.WriteLine($"(only {sorted.Count:N0} of {expected:N0} rows arrived)");
            static double Median(IEnumerable<double> values)
            {
                var v = values.Order().ToList();
                return v.Count == 0 ? double.NaN : v[v.Count / 2];
            }
            double total = P(0.5), afterCommit = Median(sinceCommit);
            double Step(string name) => Median(steps.GetValueOrDefault(name) ?? []);
            return $"| {interval.TotalMilliseconds:N0} ms | {(kafka is null ? "in memory" : "Kafka")} | {total:N0} | {total - afterCommit:N0} | {afterCommit:N0} | " +
                $"{Step("tablestore.service.commit.batch.duration"):N1} | {Step("tablestore.commit.duration"):N1} | {Step("tablestore.service.publish.read.duration"):N1} | {Step("tablestore.service.publish.send.duration"):N1} |";
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
            Directory.Delete(warehouse, recursive: true);
        }
    }

    public sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddTableStore(siloBuilder.Configuration.GetSection("TableStore")).AddMemoryGrainStorage("PubSubStore")
                .AddKafkaOrMemoryStreams(ChangeStreams.DefaultProvider, siloBuilder.Configuration.GetSection("TableStore:Kafka"));
        }
    }

    public sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.AddMemoryStreams(ChangeStreams.DefaultProvider).AddTableStoreClient();
    }
}
