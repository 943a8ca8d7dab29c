using Microsoft.Extensions.Logging;

namespace TableStore.Core.Table;

/// <summary>Log events of <see cref="TableCompactor"/> (event ids 1500-1599; docs/logging.md).</summary>
internal static partial class TableCompactorLog
{
    [LoggerMessage(EventId = 1500, Level = LogLevel.Information, Message = "Compacted {Buckets} buckets of {Table} in snapshot {SnapshotId}: {FilesBefore} files ({BytesRead} bytes) into {FilesAfter} ({BytesWritten} bytes)")]
    public static partial void BucketsCompacted(this ILogger logger, int buckets, string table, long? snapshotId, int filesBefore, long bytesRead, int filesAfter, long bytesWritten);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "Compaction of {Table} conflicted ({Reason}); planning again (attempt {Attempt})")]
    public static partial void CompactionConflicted(this ILogger logger, string table, string reason, int attempt);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Debug, Message = "Could not delete compaction output {File}; orphan cleanup will remove it")]
    public static partial void CompactionOutputDeleteFailed(this ILogger logger, Exception exception, string file);
}
