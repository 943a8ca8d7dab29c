using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace TableStore.Streaming.Kafka.Providers;

/// <summary>The Kafka stream provider's log events (ids 5000–5099; docs/logging.md).</summary>
internal static partial class KafkaStreamsLog
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Created Kafka topic {Topic} with {Partitions} partitions")]
    public static partial void TopicCreated(this ILogger logger, string topic, int partitions);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Could not create Kafka topic {Topic}: {Reason}")]
    public static partial void TopicCreateFailed(this ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Kafka topic {Topic} has {Partitions} partitions (KafkaStreamOptions.Partitions says {Configured}): one stream queue per partition it has")]
    public static partial void TopicPartitionsDiffer(this ILogger logger, string topic, int partitions, int configured);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Debug, Message = "Published stream {Stream} at {Position} ({Bytes} bytes)")]
    public static partial void Published(this ILogger logger, StreamId stream, TopicPartitionOffset position, int bytes);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "Kafka stream provider {Provider} reads {Partition} from offset {Offset}")]
    public static partial void QueueStarted(this ILogger logger, string provider, TopicPartition partition, Offset offset);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "Kafka stream provider {Provider} could not start reading {Partition}: {Reason}; trying again on the next read")]
    public static partial void QueueStartFailed(this ILogger logger, Exception exception, string provider, TopicPartition partition, string reason);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Warning, Message = "Kafka stream provider {Provider} could not read {Partition}: {Reason}")]
    public static partial void ConsumeFailed(this ILogger logger, Exception exception, string provider, TopicPartition partition, string reason);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Error, Message = "Kafka stream provider {Provider} skipped the message at {Position} ({Bytes} bytes): it is not a batch of this provider")]
    public static partial void MessageSkipped(this ILogger logger, Exception exception, string provider, TopicPartitionOffset position, int bytes);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Warning, Message = "Kafka stream provider {Provider} could not commit its checkpoint of {Partition}: {Reason}; a restart reads from the previous one")]
    public static partial void CheckpointFailed(this ILogger logger, Exception exception, string provider, TopicPartition partition, string reason);
}
