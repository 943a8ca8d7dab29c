using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using TableStore.Client;
using TableStore.Core.Data;
using TableStore.Core.Streaming;
using TableStore.Service.Tests.Support;

namespace TableStore.Service.Tests;

/// <summary>
/// Table changes over Kafka across processes: a silo process of the server, brokers in a kcat process (librdkafka's
/// mock cluster, as infra/kafka.sh runs it), a client in this one.
/// </summary>
public sealed class KafkaProcessTests
{
    [Fact]
    public async Task A_silo_killed_and_restarted_resumes_reading_its_partitions_from_the_checkpoint_and_changes_keep_reaching_subscribers()
    {
        await using var cluster = new ProcessCluster();
        var kafka = new KafkaMock(await cluster.StartKafkaAsync());
        var topic = KafkaMock.Unique("changes");
        var group = KafkaMock.Unique("silos");
        var settings = new Dictionary<string, string>
        {
            ["TableStore__Kafka__BootstrapServers"] = kafka.BootstrapServers,
            ["TableStore__Kafka__Topic"] = topic,
            ["TableStore__Kafka__ConsumerGroup"] = group,
            ["TableStore__Kafka__CheckpointInterval"] = "00:00:00.100",
        };
        var silo = await cluster.StartSiloAsync(redis: false, settings: settings);
        Assert.Contains($"over Kafka at {kafka.BootstrapServers}, topic {topic}", cluster.Output(silo.Process));

        var batches = new ConcurrentQueue<ChangeBatch>();
        long lastSnapshot;
        await using (var client = await TableStoreClient.ConnectAsync(silo.Gateway, connectTimeout: Wait.Patience))
        {
            await client.CreateTableAsync("t.kafka", Specs.Table("id BIGINT, v INT", ["id"], [], 2));
            await using var subscription = await client.SubscribeAsync("t.kafka", b => { batches.Enqueue(b); return Task.CompletedTask; },
                new SubscriptionOptions { Start = "earliest", CatchUpInterval = TimeSpan.FromHours(1) });
            for (int i = 0; i < 3; i++) await client.WriteAsync("t.kafka", [new ChangeRow(RowKind.Insert, [(long)i, i])]);
            await Wait.UntilAsync(() => batches.Count >= 3, "3 change batches over Kafka");
            lastSnapshot = batches.Last().SnapshotId;
        }
        // Every change batch is a message on the topic, which kcat (another process and client) reads too; once
        // delivered, its partition's checkpoint moves past it.
        var messages = kafka.ReadAll(topic);
        Assert.Equal(3, messages.Count);
        var seenByKcat = await ProcessCluster.ReadTopicWithKcatAsync(kafka.BootstrapServers, topic);
        Assert.Equal(messages.Select(m => $"{m.Partition.Value} {m.Offset.Value} {m.Message.Key.Length} {m.Message.Value.Length}").Order(),
            seenByKcat.Order());
        var partition = messages[0].Partition.Value;
        await Wait.UntilAsync(() => kafka.Committed(group, topic, partition) >= messages.Max(m => m.Offset.Value) + 1, $"the checkpoint of partition {partition}");

        cluster.KillAbruptly(silo);
        var again = await cluster.StartSiloAsync(redis: false, settings: settings);
        // The new silo reads the table's partition from the checkpoint, not from the start of the topic.
        MatchCollection started = null!;
        await Wait.UntilAsync(() => (started = Regex.Matches(cluster.Output(again.Process), $@"reads {topic} \[\[{partition}\]\] from offset (\d+)")).Count > 0,
            $"the restarted silo to read partition {partition} from a checkpoint");
        Assert.Equal(3, long.Parse(started[0].Groups[1].Value, CultureInfo.InvariantCulture));

        var later = new ConcurrentQueue<ChangeBatch>();
        await using (var client = await TableStoreClient.ConnectAsync(again.Gateway, connectTimeout: Wait.Patience))
        {
            await using var subscription = await client.SubscribeAsync("t.kafka", b => { later.Enqueue(b); return Task.CompletedTask; },
                new SubscriptionOptions { Start = $"snapshot:{lastSnapshot + 1}", CatchUpInterval = TimeSpan.FromHours(1) });
            for (int i = 3; i < 5; i++) await client.WriteAsync("t.kafka", [new ChangeRow(RowKind.Insert, [(long)i, i])]);
            await Wait.UntilAsync(() => later.Count >= 2, "2 more change batches over Kafka after the restart");
        }
        Assert.Equal([3L, 4L], later.Select(b => (long)b.Rows.Single().Values[0]!));
        Assert.Equal(5, kafka.ReadAll(topic).Count);
    }
}
