using Microsoft.Extensions.Logging;

namespace TableStore.Core.Commit.GroupCommit;

/// <summary>Log events of <see cref="GroupCommitter"/> (event ids 1100-1199; docs/logging.md).</summary>
internal static partial class GroupCommitterLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Error, Message = "Group commit of {Table} failed unexpectedly")]
    public static partial void GroupCommitFailed(this ILogger logger, Exception exception, string table);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Commit of batch {Batch} of {Table} failed with an unknown outcome")]
    public static partial void BatchCommitOutcomeUnknown(this ILogger logger, Exception exception, long batch, string table);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Batch {Batch} of {Table} is rewritten (attempt {Attempt}): another writer committed to its buckets")]
    public static partial void BatchRewritten(this ILogger logger, long batch, string table, int attempt);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Debug, Message = "Could not delete orphan {Path}; orphan cleanup will")]
    public static partial void BatchOrphanDeleteFailed(this ILogger logger, IOException exception, string path);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "Write {WriteId} to {Table}, sent again, was found committed in snapshot {Snapshot}, older than the remembered commits; nothing is written again")]
    public static partial void RetryFoundCommitted(this ILogger logger, string writeId, string table, long snapshot);
}
