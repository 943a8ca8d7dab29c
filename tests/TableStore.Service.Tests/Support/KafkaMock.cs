using Confluent.Kafka;
using TableStore.Testing;

namespace TableStore.Service.Tests.Support;

/// <summary>
/// Kafka brokers for a test (<see cref="KafkaMockCluster"/>: librdkafka's mock cluster in this process, or
/// <c>KAFKA_BOOTSTRAP_SERVERS</c>), with a plain Kafka client's view of what the provider wrote. Tests use their own
/// topic and consumer group names, so they can share one.
/// </summary>
public sealed class KafkaMock : IDisposable
{
    public const string BrokerVariable = KafkaMockCluster.BrokerVariable;

    private readonly KafkaMockCluster? _cluster;

    /// <summary>Brokers already running (another process's mock cluster, or a real broker).</summary>
    public KafkaMock(string bootstrapServers) => BootstrapServers = bootstrapServers;

    public KafkaMock()
    {
        _cluster = new KafkaMockCluster();
        BootstrapServers = _cluster.BootstrapServers;
    }

    public string BootstrapServers { get; }

    /// <summary>A name no other test uses, for a topic or consumer group.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";

    /// <summary>Every message of the topic's partitions up to now, read by a plain Kafka consumer (independent of the provider).</summary>
    public List<ConsumeResult<byte[], byte[]>> ReadAll(string topic) => KafkaMockCluster.ReadAll(BootstrapServers, topic);

    /// <summary>The offset the group committed for a partition (the checkpoint), or null.</summary>
    public long? Committed(string group, string topic, int partition)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = BootstrapServers, GroupId = group, EnableAutoCommit = false }).Build();
        var offset = consumer.Committed([new TopicPartition(topic, partition)], TimeSpan.FromSeconds(10)).Single().Offset;
        return offset.IsSpecial ? null : offset.Value;
    }

    public void Dispose() => _cluster?.Dispose();
}
