using Microsoft.Extensions.Logging;
using TableStore.Core.Manifest;

namespace TableStore.Core.Commit;

/// <summary>Log events of <see cref="FileStoreCommit"/> (event ids 1000-1099; docs/logging.md).</summary>
internal static partial class FileStoreCommitLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Warning, Message = "Creating snapshot {SnapshotId} of {Table} failed with an unknown outcome; checking")]
    public static partial void SnapshotCreateOutcomeUnknown(this ILogger logger, Exception exception, long snapshotId, string table);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Committed snapshot {SnapshotId} of {Table}: {Kind}, {Files} file changes, {Rows} rows, attempt {Attempt}")]
    public static partial void SnapshotCommitted(this ILogger logger, long snapshotId, string table, CommitKind kind, int files, long rows, int attempt);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Lost the race for snapshot {SnapshotId} of {Table}; retrying (attempt {Attempt})")]
    public static partial void SnapshotRaceLost(this ILogger logger, long snapshotId, string table, int attempt);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "Could not delete orphan {Path}; maintenance will remove it")]
    public static partial void CommitOrphanDeleteFailed(this ILogger logger, IOException exception, string path);
}
