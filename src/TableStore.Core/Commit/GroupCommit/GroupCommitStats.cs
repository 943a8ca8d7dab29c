namespace TableStore.Core.Commit.GroupCommit;

/// <summary>One group commit (or a batch failed by a close): its writes, how many committed and failed, the rows committed, how long it took.</summary>
public sealed record GroupCommitStats(int Writes, int Committed, int Failed, long RowsCommitted, TimeSpan Duration)
{
    internal static GroupCommitStats Of(List<PendingWrite> writes, TimeSpan duration) => new(
        writes.Count,
        writes.Count(w => w.Result.Task.IsCompletedSuccessfully),
        writes.Count(w => w.Result.Task.IsFaulted),
        writes.Where(w => w.Result.Task.IsCompletedSuccessfully).Sum(w => (long)w.Write.Rows),
        duration);
}
