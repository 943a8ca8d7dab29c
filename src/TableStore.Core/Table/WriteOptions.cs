using TableStore.Core.Manifest;

namespace TableStore.Core.Table;

/// <summary>Identity and kind of a <see cref="FileStoreTable.WriteAndCommitAsync"/>.</summary>
public sealed record WriteOptions
{
    /// <summary>Who commits; null: a fresh identity for this one write (so it is never mistaken for a retry).</summary>
    public string? CommitUser { get; init; }
    public long CommitIdentifier { get; init; } = 1;
    public CommitKind Kind { get; init; } = CommitKind.Append;
    /// <summary>
    /// A snapshot id known to precede any earlier attempt of this commit; the search for an earlier attempt
    /// starts after it. Null searches every retained snapshot (always correct, slower on long histories).
    /// Without a <see cref="CommitUser"/> the latest id is used: a fresh identity has no earlier attempts.
    /// </summary>
    public long? KnownSnapshotId { get; init; }

    /// <summary>With <see cref="CommitKind.Overwrite"/>: the partitions replaced (null or all: the whole table).</summary>
    public PartitionSpec? OverwritePartitions { get; init; }

    /// <summary>Fail with a conflict if anything but compactions was committed after this snapshot.</summary>
    public long? RequireUnchangedSince { get; init; }

    /// <summary>
    /// Positions in external logs this write consumed up to, recorded in the same snapshot as its rows (see
    /// <see cref="Commit.CommitRequest.LogOffsets"/>). A write that records positions commits even without rows, so
    /// that skipped input is not read again.
    /// </summary>
    public IReadOnlyDictionary<string, string>? LogOffsets { get; init; }

    /// <summary>Fencing: commit only while the latest snapshot holds these positions (see <see cref="Commit.CommitRequest.ExpectedLogOffsets"/>).</summary>
    public IReadOnlyDictionary<string, string?>? ExpectedLogOffsets { get; init; }

    /// <summary>The rows are merge results read from the table (a rewrite), stored as they are: not fed through the merge engine's input rules again.</summary>
    internal bool RowsAreMerged { get; init; }
}
