using Microsoft.Extensions.Logging;

namespace TableStore.Grains.Write;

/// <summary>Log events of <see cref="BackgroundCompaction"/> (event ids 2300-2399; docs/logging.md).</summary>
internal static partial class BackgroundCompactionLog
{
    [LoggerMessage(EventId = 2300, Level = LogLevel.Warning, Message = "Background compaction of bucket {Bucket} failed; the next batch tries again")]
    public static partial void BackgroundCompactionFailed(this ILogger logger, Exception exception, string bucket);
}
