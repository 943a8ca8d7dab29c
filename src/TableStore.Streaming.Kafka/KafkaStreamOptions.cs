using Confluent.Kafka;

namespace TableStore.Streaming.Kafka;

/// <summary>
/// Where and how a Kafka stream provider reads and writes: one topic whose partitions are the provider's stream
/// queues. Bound from <c>TableStore:Kafka</c> by the TableStore server; the same settings reach Azure Event Hubs'
/// Kafka endpoint (<see cref="ConnectionString"/> for SAS, or <see cref="SaslMechanism"/> <c>OAuthBearer</c> for a
/// managed identity).
/// </summary>
public sealed class KafkaStreamOptions
{
    /// <summary><c>host:port[,host:port]</c> of the brokers. Required.</summary>
    public string BootstrapServers { get; set; } = "";

    /// <summary>Prefix of the topics this project names itself (the change topic when <see cref="Topic"/> is not set).</summary>
    public string TopicPrefix { get; set; } = "tablestore-";

    /// <summary>The topic the provider's streams travel on; null: <see cref="TopicPrefix"/> + <c>changes</c>.</summary>
    public string? Topic { get; set; }

    /// <summary>The topic in use.</summary>
    public string TopicName => string.IsNullOrEmpty(Topic) ? TopicPrefix + "changes" : Topic;

    /// <summary>
    /// Partitions of the topic when this provider creates it (a topic that exists keeps its own count, and the
    /// provider uses one stream queue per partition it has).
    /// </summary>
    public int Partitions { get; set; } = DefaultPartitions;

    public const int DefaultPartitions = 4;

    /// <summary>The consumer group whose committed offsets are the silos' checkpoints: a restarted silo resumes there.</summary>
    public string ConsumerGroup { get; set; } = "tablestore-silos";

    /// <summary>How often a queue's consumed offset is committed at most (and at shutdown): what a restart may read again.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A partition with no checkpoint is read from its earliest retained message (true) or from new messages only.</summary>
    public bool StartFromEarliest { get; set; } = true;

    public SecurityProtocol SecurityProtocol { get; set; } = SecurityProtocol.Plaintext;

    /// <summary><c>Plain</c>, <c>ScramSha256</c>, <c>ScramSha512</c> or <c>OAuthBearer</c> (a token from Azure.Identity for Event Hubs); null without SASL.</summary>
    public SaslMechanism? SaslMechanism { get; set; }

    public string? SaslUsername { get; set; }

    public string? SaslPassword { get; set; }

    /// <summary>
    /// An Event Hubs connection string (<c>Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…</c>): SASL PLAIN
    /// over TLS with user <c>$ConnectionString</c>, as Event Hubs' Kafka endpoint expects.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>The token scope for <c>OAuthBearer</c>; null: <c>https://&lt;first bootstrap host&gt;/.default</c> (Event Hubs).</summary>
    public string? OAuthScope { get; set; }

    /// <summary>CA certificates (PEM file) to trust for TLS, when not the system's.</summary>
    public string? SslCaLocation { get; set; }

    /// <summary>The largest message the provider writes (Event Hubs Standard: 1 MB).</summary>
    public int MaxMessageBytes { get; set; } = 1_000_000;

    /// <summary>
    /// How long a broker may hold a read of a partition that has nothing new (librdkafka's <c>fetch.wait.max.ms</c>):
    /// at most this much is added to a message that arrives on a quiet partition; shorter means more fetch requests
    /// (one per partition per this interval while idle).
    /// </summary>
    public TimeSpan MaxFetchWait { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a publish may wait for the brokers' acknowledgement.</summary>
    public TimeSpan ProduceTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long finding the topic (and creating it) may take at start-up.</summary>
    public TimeSpan MetadataTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>More librdkafka settings (<c>linger.ms</c>, <c>compression.type</c>…), applied to producers and consumers last.</summary>
    public Dictionary<string, string> Settings { get; set; } = new(StringComparer.Ordinal);
}
