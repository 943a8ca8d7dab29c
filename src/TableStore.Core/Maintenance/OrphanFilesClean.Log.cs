using Microsoft.Extensions.Logging;

namespace TableStore.Core.Maintenance;

/// <summary>Log events of <see cref="OrphanFilesClean"/> (event ids 1800-1899; docs/logging.md).</summary>
internal static partial class OrphanFilesCleanLog
{
    [LoggerMessage(EventId = 1800, Level = LogLevel.Information, Message = "Removed {Count} orphan files ({Bytes} bytes) of {Table}")]
    public static partial void OrphanFilesRemoved(this ILogger logger, int count, long bytes, string table);
}
