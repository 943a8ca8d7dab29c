using Microsoft.Extensions.Logging;

namespace TableStore.Core.Table;

/// <summary>Log events of <see cref="FileStoreTable"/> (event ids 1300-1399; docs/logging.md).</summary>
internal static partial class FileStoreTableLog
{
    [LoggerMessage(EventId = 1300, Level = LogLevel.Warning, Message = "Compaction after a write to {Table} failed; the write is committed, compaction will be retried by the next write")]
    public static partial void CompactionAfterWriteFailed(this ILogger logger, Exception exception, string table);
}
