namespace TableStore.Core.Commit.GroupCommit;

/// <summary>
/// The bucket writers that hold the rows of a group commit's writes, as the <see cref="GroupCommitter"/> drives them
/// (in the service, grains that may live on other silos and may have lost their rows). Buckets are named by the host.
/// </summary>
public interface IBucketWriters
{
    /// <summary>Claims these writes' rows for the batch; says which the writer does not hold and which it refuses.</summary>
    Task<BucketSeal> SealAsync(string bucket, long batchId, IReadOnlyList<string> writeIds);

    /// <summary>
    /// Writes the claimed rows as level-0 files and describes them. <paramref name="rewrite"/>: another writer committed
    /// to the bucket meanwhile, so the files are written again above its sequence numbers.
    /// </summary>
    Task<CommitMessage> FlushAsync(string bucket, long batchId, IReadOnlyList<string> writeIds, bool rewrite);

    /// <summary>The batch committed or failed: the writer may forget it. Best effort, not awaited.</summary>
    void Release(string bucket, long batchId);
}
