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
}
