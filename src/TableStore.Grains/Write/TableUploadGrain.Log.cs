using Microsoft.Extensions.Logging;

namespace TableStore.Grains.Write;

/// <summary>Log events of <see cref="TableUploadGrain"/> (event ids 2700-2799; docs/logging.md).</summary>
internal static partial class TableUploadGrainLog
{
    [LoggerMessage(EventId = 2700, Level = LogLevel.Information, Message = "Committed staged write {WriteId} to {Table}: {Rows} rows in {Parts} parts, snapshot {SnapshotId}")]
    public static partial void StagedWriteCommitted(this ILogger logger, string writeId, string table, long rows, int parts, long? snapshotId);

    [LoggerMessage(EventId = 2701, Level = LogLevel.Warning, Message = "Could not delete the staged parts of committed write {WriteId} to {Table}; the table's maintenance deletes them once abandoned")]
    public static partial void StagedWriteCleanupFailed(this ILogger logger, Exception error, string writeId, string table);
}
