namespace TableStore.Core.Commit;

/// <param name="Attempts">Tries it took, counting lost races and rewrites after sequence conflicts.</param>
public sealed record CommitResult(long SnapshotId, bool AlreadyCommitted, int Attempts)
{
    /// <summary>The compaction the writer ran after its commit (a later COMPACT snapshot), if any.</summary>
    public Table.CompactOutcome? Compaction { get; init; }
}
