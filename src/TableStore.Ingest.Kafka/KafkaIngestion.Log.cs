using Microsoft.Extensions.Logging;

namespace TableStore.Ingest.Kafka;

public sealed partial class KafkaIngestion
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Information,
        Message = "Ingesting Kafka topic {Topic} ({Format}) into {Table} as group {Group}, from {Positions}")]
    private static partial void LogStarting(ILogger logger, string topic, string format, string table, string group, string positions);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Debug,
        Message = "Committed {Messages} messages ({Rows} rows) from {Topic} to {Table} in snapshot {SnapshotId}")]
    private static partial void LogCommitted(ILogger logger, int messages, int rows, string topic, string table, long? snapshotId);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning,
        Message = "Skipped a malformed event of {Topic} partition {Partition} offset {Offset}: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string topic, int partition, long offset, string reason);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning,
        Message = "Copied a malformed event of {Topic} partition {Partition} offset {Offset} to {DeadLetterTopic}: {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, string topic, int partition, long offset, string deadLetterTopic, string reason);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Debug,
        Message = "Could not commit the consumer group's offsets for {Topic} (a hint only; the table holds the positions)")]
    private static partial void LogGroupCommitFailed(ILogger logger, Exception exception, string topic);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Warning,
        Message = "Kafka consumer of {Topic}: {Reason}")]
    private static partial void LogConsumerError(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 5106, Level = LogLevel.Information,
        Message = "Stopped ingesting {Topic} into {Table} ({Reason}): {Messages} messages, {Rows} rows, {Tombstones} tombstones, {Skipped} skipped, {DeadLettered} dead-lettered")]
    private static partial void LogStopped(ILogger logger, string topic, string table, IngestStopReason reason, long messages, long rows, long tombstones, long skipped, long deadLettered);
}
