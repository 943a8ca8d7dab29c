using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;
using TableStore.Abstractions;
using TableStore.Client;
using TableStore.Core.Api;
using TableStore.Core.Table;
using TableStore.Streaming.Kafka;
using TableStore.Tests.Shared;
using TableStore.Core.Data;
using TableStore.Core.Streaming;
using TableStore.Service.Tests.Support;

namespace TableStore.Service.Tests;

/// <summary>
/// The Kafka stream provider over the Kafka wire protocol (librdkafka's mock cluster on 127.0.0.1, or the broker
/// <c>KAFKA_BOOTSTRAP_SERVERS</c> names): events published through it arrive in order, sit in the topic where any
/// Kafka client reads them, are checkpointed in the consumer group once delivered, and carry table changes to
/// subscribers that know nothing of Kafka.
/// </summary>
[Collection(KafkaClusterCollection.Name)]
public sealed class KafkaStreamTests(KafkaClusterFixture fixture)
{
    [Fact]
    public async Task Events_published_through_Kafka_reach_a_subscriber_in_order_with_offsets_as_tokens_and_any_Kafka_client_reads_them()
    {
        var streams = fixture.Cluster.Client.GetStreamProvider(KafkaClusterFixture.RawProvider);
        var stream = streams.GetStream<int>(StreamId.Create("kafka-test", Guid.NewGuid()));
        var received = new ConcurrentQueue<(int Value, StreamSequenceToken Token)>();
        var handle = await stream.SubscribeAsync((v, token) => { received.Enqueue((v, token!)); return Task.CompletedTask; });
        var before = fixture.Kafka.ReadAll(fixture.RawTopic).Count;
        for (int i = 0; i < 20; i++) await stream.OnNextAsync(i);

        await Wait.UntilAsync(() => received.Count >= 20, "20 events delivered");
        Assert.Equal(Enumerable.Range(0, 20), received.Select(r => r.Value));
        var offsets = received.Select(r => r.Token.SequenceNumber).ToList();
        Assert.Equal(offsets.Order(), offsets);
        Assert.Equal(20, offsets.Distinct().Count()); // one message, one offset, per publish

        // A plain Kafka consumer finds every publish as one message in the topic: the provider speaks real Kafka.
        Assert.Equal(before + 20, fixture.Kafka.ReadAll(fixture.RawTopic).Count);
        await handle.UnsubscribeAsync();
    }

    [Fact]
    public async Task Delivered_offsets_are_committed_to_the_consumer_group_as_the_checkpoint_a_restarted_silo_resumes_from()
    {
        var streams = fixture.Cluster.Client.GetStreamProvider(KafkaClusterFixture.RawProvider);
        var stream = streams.GetStream<int>(StreamId.Create("kafka-checkpoint", Guid.NewGuid()));
        var received = new ConcurrentQueue<StreamSequenceToken>();
        var handle = await stream.SubscribeAsync((_, token) => { received.Enqueue(token!); return Task.CompletedTask; });
        for (int i = 0; i < 5; i++) await stream.OnNextAsync(i);
        await Wait.UntilAsync(() => received.Count >= 5, "5 events delivered");
        var last = received.Max(t => t.SequenceNumber);

        // The message's partition is where the plain consumer finds the last offset.
        var partition = fixture.Kafka.ReadAll(fixture.RawTopic).Single(m => m.Offset.Value == last && m.Message.Key.AsSpan().SequenceEqual(stream.StreamId.FullKey.Span)).Partition.Value;
        await Wait.UntilAsync(() => fixture.Kafka.Committed(fixture.Group, fixture.RawTopic, partition) > last, $"the checkpoint of partition {partition} past offset {last}");
        await handle.UnsubscribeAsync();
    }

    [Fact]
    public async Task Table_changes_travel_over_Kafka_to_a_subscription_that_knows_nothing_of_Kafka()
    {
        var client = fixture.Client;
        var table = Specs.NewTable("kafka");
        await client.CreateTableAsync(table, Specs.Table("id BIGINT, v INT", ["id"], [], 2));
        var batches = new ConcurrentQueue<ChangeBatch>();
        var before = fixture.Kafka.ReadAll(fixture.ChangesTopic).Count;
        // The lake is read once, at the start; after that only the stream brings snapshots.
        await using var subscription = await client.SubscribeAsync(table, b => { batches.Enqueue(b); return Task.CompletedTask; },
            new SubscriptionOptions { Start = "earliest", CatchUpInterval = TimeSpan.FromHours(1) });
        var written = new List<long>();
        for (int i = 0; i < 5; i++)
            written.Add((await client.WriteAsync(table, [new ChangeRow(RowKind.Insert, [(long)i, i])]))!.SnapshotId);

        await Wait.UntilAsync(() => batches.Count >= 5, "5 change batches");
        Assert.Equal(written, batches.Select(b => b.SnapshotId));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => (long)i), batches.Select(b => (long)b.Rows.Single().Values[0]!));
        Assert.True(fixture.Kafka.ReadAll(fixture.ChangesTopic).Count >= before + 5, "each snapshot's changes are a message on the changes topic");
    }

    [Fact]
    public async Task A_snapshot_larger_than_one_message_arrives_in_parts_joined_into_one_batch_and_one_too_large_to_publish_is_read_from_the_lake_at_once()
    {
        var client = fixture.Client;
        var table = Specs.NewTable("kafka_large");
        await client.CreateTableAsync(table, Specs.Table("id BIGINT, note STRING", ["id"], [], 2));
        var batches = new ConcurrentQueue<ChangeBatch>();
        await using var subscription = await client.SubscribeAsync(table, b => { batches.Enqueue(b); return Task.CompletedTask; },
            new SubscriptionOptions { Start = "earliest", CatchUpInterval = TimeSpan.FromHours(1) });
        var before = fixture.Kafka.ReadAll(fixture.ChangesTopic).Count;

        // 2,000 rows of ~30 bytes: well over one 4 KiB message, under the row limit.
        var parted = (await client.WriteAsync(table, [.. Enumerable.Range(0, 2000).Select(i => new ChangeRow(RowKind.Insert, [(long)i, $"note {i:D6} of a large write"]))]))!.SnapshotId;
        await Wait.UntilAsync(() => !batches.IsEmpty, "the parted snapshot");
        var first = Assert.Single(batches);
        Assert.Equal((parted, 2000), (first.SnapshotId, first.Rows.Count));
        var messages = fixture.Kafka.ReadAll(fixture.ChangesTopic).Count - before;
        Assert.True(messages >= 2000 * 30 / KafkaClusterFixture.MaxPublishedEventBytes, $"the snapshot went out as {messages} messages");

        // Over MaxPublishedChangeRows: only a marker is published, and the subscriber reads the snapshot from the lake
        // at once (its own catch-up would come in an hour).
        var marked = (await client.WriteAsync(table, [.. Enumerable.Range(10_000, KafkaClusterFixture.MaxPublishedChangeRows + 500).Select(i => new ChangeRow(RowKind.Insert, [(long)i, "bulk"]))]))!.SnapshotId;
        await Wait.UntilAsync(() => batches.Count >= 2, "the snapshot too large to publish");
        var second = batches.Last();
        Assert.Equal((marked, KafkaClusterFixture.MaxPublishedChangeRows + 500), (second.SnapshotId, second.Rows.Count));
    }

    [Fact]
    public async Task Snapshots_record_where_their_changes_are_published_and_a_hybrid_read_from_the_lake_then_Kafka_equals_the_lake_read()
    {
        var client = fixture.Client;
        var table = Specs.NewTable("kafka_hybrid");
        await client.CreateTableAsync(table, Specs.Table("id BIGINT, note STRING", ["id"], [], 2));
        var random = new Random(7);
        async Task WriteAsync(int step, int rows) => await client.WriteAsync(table, [.. Enumerable.Range(0, rows).Select(_ => random.Next(6) == 0
            ? new ChangeRow(RowKind.Delete, [(long)random.Next(5000), null])
            : new ChangeRow(RowKind.Insert, [(long)random.Next(5000), $"step {step} note"]))]);
        for (int step = 0; step < 12; step++)
            // Mostly small writes; one in parts (over 4 KiB), one only a marker (over 3,000 rows): read from the lake.
            await WriteAsync(step, step == 5 ? 400 : step == 8 ? KafkaClusterFixture.MaxPublishedChangeRows + 100 : random.Next(1, 20));

        await using var store = new EmbeddedTableStore(fixture.Warehouse);
        var lakeTable = await store.Catalog.GetTableAsync(Identifier.Parse(table));
        var latest = (await lakeTable.Snapshots.LatestAsync())!;
        var position = Assert.Single(latest.LogOffsets, p => p.Key.StartsWith(ChangeStreams.KafkaPositionPrefix, StringComparison.Ordinal));
        Assert.True(ChangeStreams.TryParseKafkaPositionKey(position.Key, out var topic, out _) && topic == fixture.ChangesTopic, position.Key);
        // The first snapshots may predate the table's first acknowledged publish: they record no position (the reader
        // polls the lake until it meets one that does).
        long recorded = 1;
        while (!(await lakeTable.Snapshots.GetAsync(recorded)).LogOffsets.ContainsKey(position.Key)) recorded++;

        var kafka = new KafkaStreamOptions { BootstrapServers = fixture.Kafka.BootstrapServers, Topic = fixture.ChangesTopic };
        foreach (var start in new[] { $"snapshot:{recorded}", $"snapshot:{(recorded + latest.Id) / 2}", "earliest" })
        {
            // The lake is checked only if Kafka stays quiet for long (it is read first from the start snapshot's positions).
            var options = new StreamingOptions { Start = StreamStart.Parse(start), LakeCheckInterval = TimeSpan.FromSeconds(10), IdleTimeout = TimeSpan.FromMinutes(1) };
            var logged = new RecordingLogger();
            await using var log = new KafkaChangeLog(table, kafka, logged);
            var reader = new StreamingReader(lakeTable, log);
            var hybrid = new List<ChangeBatch>();
            await foreach (var batch in reader.ReadAsync(options))
            {
                hybrid.Add(batch);
                if (batch.SnapshotId == latest.Id) break;
            }
            var lake = await new StreamingReader(lakeTable).ReadAsync(options with { IdleTimeout = TimeSpan.Zero }).ToListAsync();
            Assert.Equal(lake.Select(Show), hybrid.Select(Show));
            Assert.True(reader.FromChangeLog > 0, $"from {start}: {reader.FromChangeLog} of {hybrid.Count} snapshots came from Kafka; log: {logged}");
        }

        // Live: a reader caught up with the lake gets new snapshots from Kafka; the CLI's "stream --bootstrap" prints
        // the same as its read of the lake.
        var cliArgs = new[] { "stream", table, "--warehouse", fixture.Warehouse, "--from", "snapshot:2", "--max-snapshots", "", "--format", "jsonl" };
        await using (var log = new KafkaChangeLog(table, kafka))
        {
            var reader = new StreamingReader(lakeTable, log);
            await using var live = reader.ReadAsync(new StreamingOptions { LakeCheckInterval = TimeSpan.FromMinutes(5) }).GetAsyncEnumerator();
            var moving = live.MoveNextAsync().AsTask();
            await WriteAsync(100, 3);
            Assert.True(await moving);
            Assert.Equal(1, reader.FromChangeLog);
        }
        var last = (await lakeTable.Snapshots.LatestIdAsync())!.Value;
        cliArgs[7] = (last - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var plain = await BuiltPrograms.RunCliAsync(null, cliArgs, new Dictionary<string, string?>());
        var hybridCli = await BuiltPrograms.RunCliAsync(null, [.. cliArgs, "--bootstrap", fixture.Kafka.BootstrapServers, "--topic", fixture.ChangesTopic],
            new Dictionary<string, string?> { ["TABLESTORE_DEBUG"] = "1" });
        Assert.True(hybridCli.ExitCode == 0, hybridCli.Stderr);
        Assert.Contains($"Reading the changes of {table} from Kafka at {fixture.ChangesTopic}", hybridCli.Stderr);
        Assert.Equal(plain.Stdout, hybridCli.Stdout);
        Assert.Contains($"\"_snapshot\":{last},", plain.Stdout); // the live write, printed by both
    }

    private static string Show(ChangeBatch b) =>
        $"{b.SnapshotId} {b.Kind} full={b.IsFullSnapshot}: " + string.Join(" ", b.Rows.Select(r => $"{r.Kind.ToShortString()}({string.Join(",", r.Values)})"));

    private sealed class RecordingLogger : ILogger
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _lines.Enqueue($"{logLevel} {formatter(state, exception)} {exception}");

        public override string ToString() => string.Join("\n", _lines);
    }
}
