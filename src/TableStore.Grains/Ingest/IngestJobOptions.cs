using TableStore.Abstractions;
using TableStore.Core.Table;
using TableStore.Ingest.Kafka;

namespace TableStore.Grains.Ingest;

/// <summary>A stored job as the options of its ingestion: the same checks as <c>tablestore ingest kafka</c>'s.</summary>
internal static class IngestJobOptions
{
    public static KafkaIngestOptions From(IngestJobSpec spec)
    {
        IngestJobSpec.ValidateName(spec.Name);
        Identifier.Parse(spec.Table);
        var options = new KafkaIngestOptions
        {
            BootstrapServers = spec.BootstrapServers,
            Topic = spec.Topic,
            Format = spec.Format,
            Group = spec.Group,
            OnError = MalformedEventPolicyNames.Parse(spec.OnError),
            DeadLetterTopic = spec.DeadLetterTopic,
        };
        foreach (var (k, v) in spec.Settings) options.Settings[k] = v;
        options.Validate();
        return options;
    }
}
