using TableStore.Core.Manifest;

namespace TableStore.Core.Commit;

/// <summary>A request to commit: the messages, the idempotence identity and what the writer based its work on.</summary>
public sealed record CommitRequest(IReadOnlyList<CommitMessage> Messages, long CommitIdentifier)
{
    public CommitKind Kind { get; init; } = CommitKind.Append;

    /// <summary>
    /// The latest snapshot id when the writer started (null: none, or unknown). A retry after an unknown
    /// outcome looks for its identifier only in snapshots after this one, so it must not change between retries.
    /// </summary>
    public long? BaseSnapshotId { get; init; }

    /// <summary>For <see cref="CommitKind.Overwrite"/>: the partitions to replace; null replaces the whole table.</summary>
    public IReadOnlyList<object?[]>? OverwritePartitions { get; init; }

    /// <summary>For <see cref="CommitKind.Overwrite"/>: replace every partition this selects (instead of a list).</summary>
    public Table.PartitionSpec? OverwriteSpec { get; init; }

    /// <summary>
    /// Refuse the commit (as a conflict) if anything but compactions was committed after this snapshot: for rewrites
    /// of data read at it (rescale), which must not drop rows committed meanwhile.
    /// </summary>
    public long? RequireUnchangedSince { get; init; }

    /// <summary>
    /// Positions in external logs consumed up to (e.g. <c>kafka/GROUP/TOPIC/PARTITION</c> → next offset). The snapshot
    /// records them over the latest snapshot's, so a position lives on in every later snapshot (compactions, other
    /// writers) until a commit moves it: expiring the snapshot that recorded it loses nothing.
    /// </summary>
    public IReadOnlyDictionary<string, string>? LogOffsets { get; init; }

    /// <summary>
    /// Fencing for exactly-once ingestion: refuse the commit (as a conflict) unless the latest snapshot's
    /// <see cref="Manifest.Snapshot.LogOffsets"/> hold these values (null: the key is absent). A second ingestion
    /// of the same log, or a stale one, then cannot commit the same positions twice.
    /// </summary>
    public IReadOnlyDictionary<string, string?>? ExpectedLogOffsets { get; init; }

    /// <summary>Stored in the snapshot as is (see <see cref="Manifest.Snapshot.Properties"/>).</summary>
    public IReadOnlyDictionary<string, string>? Properties { get; init; }
}
