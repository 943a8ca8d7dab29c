namespace TableStore.Core.Commit.GroupCommit;

/// <summary>A write waiting for its group commit, and the caller waiting for the answer.</summary>
internal sealed class PendingWrite(GroupCommitWrite write)
{
    public GroupCommitWrite Write { get; } = write;
    public string Id => Write.WriteId;
    public TaskCompletionSource<GroupCommitResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>The writes that will share one snapshot.</summary>
internal sealed class OpenBatch(long openedTimestamp)
{
    public List<PendingWrite> Writes { get; } = [];
    public long Bytes { get; private set; }
    public long OpenedTimestamp { get; } = openedTimestamp;

    public void Add(PendingWrite write)
    {
        Writes.Add(write);
        Bytes += write.Write.Bytes;
    }
}
