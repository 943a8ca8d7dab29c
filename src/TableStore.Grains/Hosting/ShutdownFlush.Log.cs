using Microsoft.Extensions.Logging;

namespace TableStore.Grains.Hosting;

/// <summary>Log events of <see cref="ShutdownFlush"/> (event ids 2600-2699; docs/logging.md).</summary>
internal static partial class ShutdownFlushLog
{
    [LoggerMessage(EventId = 2600, Level = LogLevel.Information, Message = "Stopping: committing buffered writes of {Count} table(s)")]
    public static partial void ShutdownFlushStarted(this ILogger logger, int count);

    [LoggerMessage(EventId = 2601, Level = LogLevel.Warning, Message = "Could not commit the buffered writes of {Table} while stopping")]
    public static partial void ShutdownFlushFailed(this ILogger logger, Exception exception, string table);

    [LoggerMessage(EventId = 2602, Level = LogLevel.Warning, Message = "Stopping before all buffered writes were committed; their writers get errors and can retry")]
    public static partial void ShutdownFlushIncomplete(this ILogger logger);
}
