namespace TableStore.Core.Commit.GroupCommit;

/// <summary>When a <see cref="GroupCommitter"/> commits its open batch, and how many snapshots recognise a retried write.</summary>
public sealed record GroupCommitOptions
{
    /// <summary>A batch commits at the latest this long after its first write joined.</summary>
    public required TimeSpan CommitInterval { get; init; }

    /// <summary>A batch commits at once when its writes hold this many bytes.</summary>
    public required long MaxBufferedBytes { get; init; }

    /// <summary>How many recent snapshots' write ids are remembered, so a retry of a committed write is answered, not written again.</summary>
    public required int DeduplicationSnapshots { get; init; }
}
