using Microsoft.Extensions.Logging;
using TableStore.Core.Manifest;
using TableStore.Core.Table;
using TableStore.Grains.Diagnostics;

namespace TableStore.Grains.Write;

/// <summary>A bucket writer's compaction of its own bucket, run on the thread pool; never throws.</summary>
internal static class BackgroundCompaction
{
    /// <summary>Queues the compaction on the thread pool; it counts in the compaction backlog until it ends.</summary>
    public static Task Start(TableStoreRuntime runtime, string tableName, (PartitionKey, int) bucket, string bucketKey, ILogger log)
    {
        ServiceMetrics.CompactionBacklog.Add(1, ServiceMetrics.Table(tableName));
        return Task.Run(() => RunAsync(runtime, tableName, bucket, bucketKey, log));
    }

    private static async Task RunAsync(TableStoreRuntime runtime, string tableName, (PartitionKey, int) bucket, string bucketKey, ILogger log)
    {
        try
        {
            var table = await runtime.GetExistingTableAsync(tableName).ConfigureAwait(false);
            if (table.Schema.CoreOptions.WriteOnly) return;
            await table.CompactAsync(new CompactOptions { Buckets = new HashSet<(PartitionKey, int)> { bucket } }).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            log.BackgroundCompactionFailed(e, bucketKey);
        }
        finally
        {
            ServiceMetrics.CompactionBacklog.Add(-1, ServiceMetrics.Table(tableName));
        }
    }
}
