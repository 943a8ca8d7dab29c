using Microsoft.Extensions.Logging;
using TableStore.Core.Manifest;
using TableStore.Core.Table;

namespace TableStore.Grains.Write;

/// <summary>A bucket writer's compaction of its own bucket, run on the thread pool; never throws.</summary>
internal static class BackgroundCompaction
{
    public static async Task RunAsync(TableStoreRuntime runtime, string tableName, (PartitionKey, int) bucket, string bucketKey, ILogger log)
    {
        try
        {
            var table = await runtime.GetExistingTableAsync(tableName).ConfigureAwait(false);
            if (table.Schema.CoreOptions.WriteOnly) return;
            await table.CompactAsync(new CompactOptions { Buckets = new HashSet<(PartitionKey, int)> { bucket } }).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Background compaction of bucket {Bucket} failed; the next batch tries again", bucketKey);
        }
    }
}
