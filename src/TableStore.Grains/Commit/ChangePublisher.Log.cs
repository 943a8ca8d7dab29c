using Microsoft.Extensions.Logging;

namespace TableStore.Grains.Commit;

/// <summary>Log events of <see cref="ChangePublisher"/> (event ids 2100-2199; docs/logging.md).</summary>
internal static partial class ChangePublisherLog
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Warning, Message = "Stream provider {Provider} is not available on this silo: changes of {Table} are not published (subscribers read them from the lake)")]
    public static partial void StreamProviderUnavailable(this ILogger logger, Exception exception, string provider, string table);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Publishing snapshot {SnapshotId} of {Table} failed; it is tried again while attempts remain, and subscribers catch up from the lake meanwhile")]
    public static partial void PublishFailed(this ILogger logger, Exception exception, long snapshotId, string table);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Snapshot {SnapshotId} of {Table} changed {Rows} rows, more than {MaxRows} (TableStore:MaxPublishedChangeRows): not published; subscribers are told to read it from the lake")]
    public static partial void SnapshotTooLargeToPublish(this ILogger logger, long snapshotId, string table, long rows, long maxRows);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Snapshot {SnapshotId} of {Table} is not published ({Reason}); subscribers read it from the lake")]
    public static partial void PublishGivenUp(this ILogger logger, long snapshotId, string table, string reason);
}
