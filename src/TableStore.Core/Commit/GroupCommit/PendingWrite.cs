namespace TableStore.Core.Commit.GroupCommit;

/// <summary>A write waiting for its group commit, and the caller waiting for the answer.</summary>
internal sealed class PendingWrite(GroupCommitWrite write)
{
    public GroupCommitWrite Write { get; } = write;
    public string Id => Write.WriteId;
    public TaskCompletionSource<GroupCommitResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
