using TableStore.Core;
using TableStore.Core.Ingest;
using TableStore.Core.Table;

namespace TableStore.Ingest.Kafka;

/// <summary>One ingestion of a Kafka topic into a table: where to read, how to decode, when to stop.</summary>
public sealed class KafkaIngestOptions
{
    /// <summary>Kafka brokers, <c>HOST:PORT[,HOST:PORT…]</c> (CLI <c>--bootstrap</c>).</summary>
    public string BootstrapServers { get; set; } = "";

    /// <summary>The topic to read, all of its partitions (CLI <c>--topic</c>).</summary>
    public string Topic { get; set; } = "";

    /// <summary><c>debezium-json</c> or <c>jsonl</c> (CLI <c>--format</c>).</summary>
    public string Format { get; set; } = ChangeMessageDecoder.DebeziumJson;

    /// <summary>
    /// The consumer group: names this ingestion's positions in the table's snapshots, and the Kafka group whose
    /// committed offsets follow them (a hint for monitoring lag, never read back). Default <c>tablestore-ingest-DB.TABLE</c>.
    /// </summary>
    public string? Group { get; set; }

    /// <summary>Stop after this many messages (counting tombstones and malformed ones); null: no limit.</summary>
    public long? MaxMessages { get; set; }

    /// <summary>Stop once no message has arrived for this long; null: run until cancelled.</summary>
    public TimeSpan? UntilIdle { get; set; }

    public MalformedEventPolicy OnError { get; set; } = MalformedEventPolicy.Fail;

    /// <summary>Where <see cref="MalformedEventPolicy.DeadLetter"/> copies malformed events; default <c>TOPIC.dead-letter</c>.</summary>
    public string? DeadLetterTopic { get; set; }

    /// <summary>A commit after at most this many messages: bounds the rows held in memory and lost work on a crash.</summary>
    public int MaxBatchMessages { get; set; } = 50_000;

    /// <summary>A commit at most this long after the first message of a batch arrived: the ingestion's added latency.</summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long to wait for the topic's metadata, and for a dead-letter copy to be acknowledged.</summary>
    public TimeSpan MetadataTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// More librdkafka settings for the consumer and the dead-letter producer (SASL, SSL, …), as kcat's <c>-X</c>. A
    /// value <c>env:NAME</c> is read from environment variable NAME where the ingestion runs (<see cref="ResolvedSettings"/>).
    /// </summary>
    public Dictionary<string, string> Settings { get; } = new(StringComparer.Ordinal);

    /// <summary>The prefix of a setting value that names an environment variable holding the value.</summary>
    public const string EnvironmentReference = "env:";

    /// <summary>
    /// Settings whose values are secrets (passwords, keys, tokens, JAAS configs). A job of the service is stored in the
    /// warehouse, so it takes these only as <see cref="EnvironmentReference"/>s, resolved on the silo that runs it.
    /// </summary>
    public static bool IsSecret(string key) =>
        key.Contains("password", StringComparison.OrdinalIgnoreCase) || key.Contains("secret", StringComparison.OrdinalIgnoreCase)
        || key.Contains("jaas", StringComparison.OrdinalIgnoreCase) || key.Contains("oauthbearer.config", StringComparison.OrdinalIgnoreCase)
        || key.EndsWith(".pem", StringComparison.OrdinalIgnoreCase) || key.Equals("ssl.key.pem", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// <see cref="Settings"/> with each <c>env:NAME</c> replaced by that variable's value; a variable that is not set
    /// is an <see cref="InvalidInputException"/> naming it.
    /// </summary>
    public Dictionary<string, string> ResolvedSettings(Func<string, string?>? getEnvironment = null)
    {
        getEnvironment ??= Environment.GetEnvironmentVariable;
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in Settings)
        {
            if (!value.StartsWith(EnvironmentReference, StringComparison.Ordinal))
            {
                resolved[key] = value;
                continue;
            }
            var variable = value[EnvironmentReference.Length..];
            resolved[key] = getEnvironment(variable) ?? throw new InvalidInputException(
                $"Kafka setting {key} is to be read from environment variable {variable} (-X {key}={value}), which is not set where the ingestion runs ({Environment.MachineName}).");
        }
        return resolved;
    }

    public string DeadLetterTopicOrDefault => DeadLetterTopic ?? Topic + ".dead-letter";

    public string GroupFor(Identifier table) => Group ?? "tablestore-ingest-" + table.FullName;

    /// <summary>Throws <see cref="InvalidInputException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(BootstrapServers)) throw new InvalidInputException("Kafka ingestion needs the brokers' addresses (--bootstrap HOST:PORT).");
        if (string.IsNullOrWhiteSpace(Topic)) throw new InvalidInputException("Kafka ingestion needs a topic (--topic NAME).");
        if (!ChangeMessageDecoder.Formats.Contains(Format)) throw new InvalidInputException($"Unknown change message format '{Format}' (--format); supported: {string.Join(", ", ChangeMessageDecoder.Formats)}.");
        if (Group is { } g && (string.IsNullOrWhiteSpace(g) || g.Contains('/', StringComparison.Ordinal)))
            throw new InvalidInputException($"The consumer group (--group) '{g}' must not be blank or contain '/' (it names the ingestion's offsets in the table, kafka/GROUP/TOPIC/PARTITION).");
        if (MaxMessages is < 1) throw new InvalidInputException($"--max-messages must be at least 1, not {MaxMessages}.");
        if (UntilIdle is { } idle && idle <= TimeSpan.Zero) throw new InvalidInputException($"--until-idle must be positive, not {idle.TotalSeconds} seconds.");
        if (DeadLetterTopic is not null && OnError != MalformedEventPolicy.DeadLetter) throw new InvalidInputException("A dead-letter topic (--dead-letter-topic) needs --on-error dead-letter.");
        if (string.Equals(DeadLetterTopicOrDefault, Topic, StringComparison.Ordinal)) throw new InvalidInputException($"The dead-letter topic must differ from the topic read ('{Topic}').");
        if (MaxBatchMessages < 1) throw new InvalidInputException($"MaxBatchMessages must be at least 1, not {MaxBatchMessages}.");
        if (CommitInterval <= TimeSpan.Zero) throw new InvalidInputException($"CommitInterval must be positive, not {CommitInterval}.");
        if (MetadataTimeout <= TimeSpan.Zero) throw new InvalidInputException($"MetadataTimeout must be positive, not {MetadataTimeout}.");
    }
}
