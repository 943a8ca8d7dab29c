using Microsoft.Extensions.Logging;

namespace TableStore.Core.Table;

/// <summary>Log events of <see cref="BucketBatchWriter"/> (event ids 1400-1499; docs/logging.md).</summary>
internal static partial class BucketBatchWriterLog
{
    [LoggerMessage(EventId = 1400, Level = LogLevel.Information, Message = "Bucket {Bucket} of {Table} has {Runs} sorted runs (stop trigger {StopTrigger}): the batch waits for compaction")]
    public static partial void WriteStalled(this ILogger logger, int bucket, string table, int runs, int stopTrigger);
}
