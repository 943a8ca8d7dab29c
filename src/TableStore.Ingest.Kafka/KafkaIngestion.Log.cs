using Microsoft.Extensions.Logging;

namespace TableStore.Ingest.Kafka;

/// <summary>Log events of <see cref="KafkaIngestion"/> (event ids 6000-6099; docs/logging.md).</summary>
internal static partial class KafkaIngestionLog
{
    [LoggerMessage(EventId = 6000, Level = LogLevel.Information,
        Message = "Ingesting Kafka topic {Topic} ({Format}) into {Table} as group {Group}, from {Positions}")]
    public static partial void IngestionStarting(this ILogger logger, string topic, string format, string table, string group, string positions);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Debug,
        Message = "Committed {Messages} messages ({Rows} rows) from {Topic} to {Table} in snapshot {SnapshotId}")]
    public static partial void IngestionCommitted(this ILogger logger, int messages, int rows, string topic, string table, long? snapshotId);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning,
        Message = "Skipped a malformed event of {Topic} partition {Partition} offset {Offset}: {Reason}")]
    public static partial void MalformedEventSkipped(this ILogger logger, string topic, int partition, long offset, string reason);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning,
        Message = "Copied a malformed event of {Topic} partition {Partition} offset {Offset} to {DeadLetterTopic}: {Reason}")]
    public static partial void MalformedEventDeadLettered(this ILogger logger, string topic, int partition, long offset, string deadLetterTopic, string reason);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Debug,
        Message = "Could not commit the consumer group's offsets for {Topic} (a hint only; the table holds the positions)")]
    public static partial void GroupOffsetsCommitFailed(this ILogger logger, Exception exception, string topic);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Warning,
        Message = "Kafka consumer of {Topic}: {Reason}")]
    public static partial void IngestConsumerError(this ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Information,
        Message = "Stopped ingesting {Topic} into {Table} ({Reason}): {Messages} messages, {Rows} rows, {Tombstones} tombstones, {Skipped} skipped, {DeadLettered} dead-lettered")]
    public static partial void IngestionStopped(this ILogger logger, string topic, string table, IngestStopReason reason, long messages, long rows, long tombstones, long skipped, long deadLettered);
}
