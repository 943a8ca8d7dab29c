using TableStore.Core.Commit;
using TableStore.Core.Commit.GroupCommit;
using TableStore.Core.Serialization;
using TableStore.Grains.Write;

namespace TableStore.Grains.Commit;

/// <summary>The group committer's view of a table's bucket writer grains (named by their grain keys).</summary>
internal sealed class BucketWriterGrains(IGrainFactory grains, TableStoreRuntime runtime, string table) : IBucketWriters
{
    public async Task<BucketSeal> SealAsync(string bucket, long batchId, IReadOnlyList<string> writeIds)
    {
        var reply = await Writer(bucket).SealAsync(batchId, [.. writeIds]).ConfigureAwait(true);
        return new BucketSeal(reply.Missing, reply.Stale);
    }

    public async Task<CommitMessage> FlushAsync(string bucket, long batchId, IReadOnlyList<string> writeIds, bool rewrite)
    {
        var bytes = await Writer(bucket).FlushAsync(batchId, [.. writeIds], rewrite).ConfigureAwait(true);
        var current = await runtime.GetTableAsync(table).ConfigureAwait(true);
        return CommitMessageCodec.Deserialize(bytes, current.Schema, current.Schemas);
    }

    public void Release(string bucket, long batchId) => _ = Writer(bucket).ReleaseAsync(batchId);

    private IBucketWriterGrain Writer(string key) => grains.GetGrain<IBucketWriterGrain>(key);
}
