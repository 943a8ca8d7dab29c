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
}
