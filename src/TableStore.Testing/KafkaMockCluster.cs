using Confluent.Kafka;

namespace TableStore.Testing;

/// <summary>
/// Kafka brokers for tests and benchmarks: librdkafka's mock cluster (3 brokers on 127.0.0.1, the real Kafka wire
/// protocol) owned by an admin client of this process while this lives, or the broker <c>KAFKA_BOOTSTRAP_SERVERS</c>
/// names when it is set.
/// </summary>
public sealed class KafkaMockCluster : IDisposable
{
    public const string BrokerVariable = "KAFKA_BOOTSTRAP_SERVERS";

    private readonly IAdminClient? _owner;

    public KafkaMockCluster()
    {
        if (Environment.GetEnvironmentVariable(BrokerVariable) is { Length: > 0 } broker)
        {
            BootstrapServers = broker;
            return;
        }
        var config = new AdminClientConfig { BootstrapServers = "mock:1" };
        config.Set("test.mock.num.brokers", "3");
        _owner = new AdminClientBuilder(config).Build();
        // The mock replaces the bootstrap address with its brokers', which other clients then connect to over TCP.
        BootstrapServers = string.Join(",", _owner.GetMetadata(TimeSpan.FromSeconds(10)).Brokers.Select(b => $"{b.Host}:{b.Port}"));
    }

    public string BootstrapServers { get; }

    public void Dispose() => _owner?.Dispose();

    /// <summary>
    /// Every message of the topic's partitions up to now, read by a plain Kafka consumer of its own (independent of
    /// what wrote them): each partition from its beginning to the high watermark it had when its turn came.
    /// </summary>
    public static List<ConsumeResult<byte[], byte[]>> ReadAll(string bootstrapServers, string topic)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        int partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Count;
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "reader-" + Guid.NewGuid().ToString("N")[..10],
            EnableAutoCommit = false,
        }).Build();
        var read = new List<ConsumeResult<byte[], byte[]>>();
        for (int p = 0; p < partitions; p++)
        {
            var partition = new TopicPartition(topic, p);
            var end = consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10)).High;
            if (end.Value == 0) continue;
            consumer.Assign(new TopicPartitionOffset(partition, Offset.Beginning));
            while (true)
            {
                var r = consumer.Consume(TimeSpan.FromSeconds(10)) ?? throw new TimeoutException($"{partition} did not give its messages up to {end}.");
                read.Add(r);
                if (r.Offset.Value + 1 >= end.Value) break;
            }
            consumer.Unassign();
        }
        return read;
    }

    /// <summary>
    /// Produces without waiting for each acknowledgement, and waits for room when the producer's local queue is full
    /// (bulk loads of tests and benchmarks; <see cref="IProducer{TKey, TValue}.Flush(TimeSpan)"/> afterwards).
    /// </summary>
    public static void Produce<TKey, TValue>(IProducer<TKey, TValue> producer, TopicPartition partition, Message<TKey, TValue> message,
        Action<DeliveryReport<TKey, TValue>>? delivered = null)
    {
        while (true)
        {
            try
            {
                producer.Produce(partition, message, delivered);
                return;
            }
            catch (ProduceException<TKey, TValue> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(20));
            }
        }
    }
}
