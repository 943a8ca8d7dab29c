using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using TableStore.Core.Data;
using TableStore.Core.Ingest;
using TableStore.Core.Schema;
using TableStore.Core.Table;
using TableStore.Ingest.Kafka;
using TableStore.Testing;

namespace TableStore.Bench;

/// <summary>
/// Ingestion from Kafka against a write of the same rows from a file, side by side in one process: N JSON Lines
/// upserts (k BIGINT NOT NULL, v STRING, n DOUBLE; 30 % of them updates of earlier keys) on a 4-partition topic of
/// librdkafka's mock cluster in this process (or KAFKA_BOOTSTRAP_SERVERS), ingested exactly once into a 4-bucket
/// primary-key table; and the same lines written as one commit the way <c>tablestore write --file</c> does.
/// </summary>
internal static class IngestBench
{
    private const string Columns = "k BIGINT NOT NULL, v STRING, n DOUBLE";

    public static async Task RunAsync(int rows, int runs)
    {
        Console.WriteLine($"## Ingestion from Kafka against a write from a file: {rows:N0} JSON Lines upserts, 4 partitions, 4 buckets, best of {runs}");
        using var kafka = new KafkaMockCluster();
        var topic = "ingest-bench-" + Guid.NewGuid().ToString("N")[..8];
        var file = Path.Combine(Path.GetTempPath(), topic + ".jsonl");
        var lines = Lines(rows).ToList();
        await File.WriteAllLinesAsync(file, lines);
        var produce = Stopwatch.StartNew();
        long failed = 0;
        using (var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, LingerMs = 5, Acks = Acks.All }).Build())
        {
            void Delivered(DeliveryReport<byte[], byte[]> report)
            {
                if (report.Error.IsError) Interlocked.Increment(ref failed);
            }
            foreach (var line in lines)
            {
                // Keyed by primary key, as Debezium does: one key's changes in one partition, in order.
                var key = Encoding.UTF8.GetBytes(line[5..line.IndexOf(',', StringComparison.Ordinal)]);
                KafkaMockCluster.Produce(producer, new TopicPartition(topic, Partition.Any), new Message<byte[], byte[]> { Key = key, Value = Encoding.UTF8.GetBytes(line) }, Delivered);
            }
            if (producer.Flush(TimeSpan.FromMinutes(2)) > 0 || failed > 0)
                throw new InvalidOperationException($"{failed} messages failed delivery; more not delivered within 2 minutes");
        }
        Console.WriteLine($"# produced {rows:N0} messages in {produce.Elapsed.TotalSeconds:0.0} s; file {new FileInfo(file).Length / 1e6:0.0} MB");

        double bestWrite = double.MaxValue, bestIngest = double.MaxValue;
        long snapshots = 0;
        for (int run = 0; run < runs; run++)
        {
            var writeWarehouse = Directory.CreateTempSubdirectory("tablestore-ingest-bench-").FullName;
            var table = await NewTableAsync(writeWarehouse);
            var sw = Stopwatch.StartNew();
            await table.WriteAndCommitAsync(RowSource.Replayable(_ => ReadBatches(file, table.Schema), file));
            bestWrite = Math.Min(bestWrite, sw.Elapsed.TotalSeconds);
            Directory.Delete(writeWarehouse, recursive: true);

            var ingestWarehouse = Directory.CreateTempSubdirectory("tablestore-ingest-bench-").FullName;
            table = await NewTableAsync(ingestWarehouse);
            sw.Restart();
            var outcome = await new KafkaIngestion(table, new KafkaIngestOptions
            {
                BootstrapServers = kafka.BootstrapServers, Topic = topic, Format = ChangeMessageDecoder.JsonLines, Group = "bench-" + run, MaxMessages = rows,
                UntilIdle = TimeSpan.FromSeconds(30), // a safety net: every message is there, so MaxMessages ends the run
            }).RunAsync(new Progress<IngestProgress>(p => Console.Error.WriteLine($"# ingest run {run}: {p.Messages:N0} messages, snapshot {p.LastSnapshotId}")), default);
            bestIngest = Math.Min(bestIngest, sw.Elapsed.TotalSeconds);
            snapshots = outcome.Progress.Snapshots;
            if (outcome.Progress.Rows != rows) throw new InvalidOperationException($"ingested {outcome.Progress.Rows} rows, expected {rows}");
            Directory.Delete(ingestWarehouse, recursive: true);
        }
        File.Delete(file);
        Console.WriteLine("| job | seconds | rows/s | ratio to write |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| write from a file, 1 commit | {bestWrite:0.00} | {rows / bestWrite:N0} | 1.00 |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| ingest from Kafka, {snapshots} commits | {bestIngest:0.00} | {rows / bestIngest:N0} | {bestWrite / bestIngest:0.00} |"));
    }

    private static IEnumerable<string> Lines(int rows)
    {
        var random = new Random(1);
        int fresh = 0;
        for (int i = 0; i < rows; i++)
        {
            long key = fresh > 0 && random.NextDouble() < 0.3 ? random.Next(fresh) : fresh++;
            yield return string.Create(CultureInfo.InvariantCulture, $$"""{"k":{{key}},"v":"value {{i}} of key {{key}}","n":{{random.NextDouble() * 1000:0.###}}}""");
        }
    }

    private static async Task<FileStoreTable> NewTableAsync(string warehouse) =>
        await new Catalog(new TableStore.Core.IO.LocalFileSystemObjectStore(warehouse)).CreateTableAsync(
            Identifier.Parse("bench.ingest"), new TableDefinition(SchemaParser.ParseColumns(Columns), ["k"], Buckets: 4));

    private static async IAsyncEnumerable<IReadOnlyList<ChangeRow>> ReadBatches(string file, TableSchema schema)
    {
        using var input = File.OpenText(file);
        var batch = new List<ChangeRow>(8192);
        foreach (var row in RowReaders.ReadJsonLines(input, schema, file))
        {
            batch.Add(row);
            if (batch.Count < 8192) continue;
            yield return batch;
            batch = new List<ChangeRow>(8192);
        }
        if (batch.Count > 0) yield return batch;
        await Task.CompletedTask;
    }
}
