using Microsoft.Extensions.Logging;

namespace TableStore.Client;

/// <summary>Log events of <see cref="KafkaChangeLog"/> (event ids 4100-4199; docs/logging.md).</summary>
internal static partial class KafkaChangeLogLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Reading the changes of {Table} from Kafka at {Positions}")]
    public static partial void ChangeLogSeek(this ILogger logger, string table, string positions);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Reading the changes of {Table} from Kafka failed ({Reason}); the lake is read meanwhile")]
    public static partial void ChangeLogUnreadable(this ILogger logger, Exception exception, string table, string reason);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Debug, Message = "Read {Events} change events of {Table} from Kafka at {Position}")]
    public static partial void ChangeLogRead(this ILogger logger, string table, int events, string position);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "The changes of snapshot {SnapshotId} of {Table} read from Kafka cannot be decoded here; it is read from the lake")]
    public static partial void ChangeLogEntryUnreadable(this ILogger logger, Exception exception, string table, long snapshotId);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "The snapshots of {Table} record Kafka positions on other topics ({Positions}), not on {Topic}, which this reader reads: it polls the lake instead (give the service's topic, TableStore:Kafka:Topic)")]
    public static partial void ChangeLogOtherTopic(this ILogger logger, string table, string topic, string positions);
}
