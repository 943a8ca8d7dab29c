using Microsoft.Extensions.Logging;

namespace TableStore.Client;

/// <summary>Log events of <see cref="TableSubscription"/> (event ids 4000-4099; docs/logging.md).</summary>
internal static partial class TableSubscriptionLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Warning, Message = "Catching up {Table} from snapshot {Snapshot} failed; retrying")]
    public static partial void CatchUpFailed(this ILogger logger, Exception exception, string table, long snapshot);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Subscription to {Table} stopped at snapshot {Snapshot}")]
    public static partial void SubscriptionStopped(this ILogger logger, Exception exception, string table, long snapshot);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Recording consumer {Consumer} of {Table} at snapshot {Snapshot} failed")]
    public static partial void ConsumerRecordFailed(this ILogger logger, Exception exception, string consumer, string table, long snapshot);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Debug, Message = "Unsubscribing from {Table} failed")]
    public static partial void UnsubscribeFailed(this ILogger logger, Exception exception, string table);
}
