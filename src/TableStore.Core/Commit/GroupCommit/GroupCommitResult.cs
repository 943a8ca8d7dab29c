namespace TableStore.Core.Commit.GroupCommit;

/// <summary>
/// The snapshot that holds a write's rows. <see cref="AlreadyCommitted"/>: the write was committed before (a retry),
/// and nothing was written again.
/// </summary>
public sealed record GroupCommitResult(long SnapshotId, bool AlreadyCommitted, int Rows);
