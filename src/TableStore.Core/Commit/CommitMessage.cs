using TableStore.Core.Manifest;

namespace TableStore.Core.Commit;

/// <summary>
/// What one bucket writer hands the committer: files it wrote, and for compactions the files it replaced.
/// </summary>
public sealed record CommitMessage(
    object?[] Partition,
    int Bucket,
    int TotalBuckets,
    IReadOnlyList<DataFileMeta> NewFiles,
    IReadOnlyList<DataFileMeta> CompactBefore,
    IReadOnlyList<DataFileMeta> CompactAfter)
{
    public static CommitMessage Append(object?[] partition, int bucket, int totalBuckets, IReadOnlyList<DataFileMeta> files) =>
        new(partition, bucket, totalBuckets, files, [], []);

    /// <summary>Changelog files (a changelog producer's output): read by streaming readers, never by scans.</summary>
    public IReadOnlyList<DataFileMeta> ChangelogFiles { get; init; } = [];

    public bool IsEmpty => NewFiles.Count == 0 && CompactBefore.Count == 0 && CompactAfter.Count == 0 && ChangelogFiles.Count == 0;
}

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

    public IReadOnlyDictionary<string, string>? LogOffsets { get; init; }

    /// <summary>Stored in the snapshot as is (see <see cref="Manifest.Snapshot.Properties"/>).</summary>
    public IReadOnlyDictionary<string, string>? Properties { get; init; }
}

/// <param name="Attempts">Tries it took, counting lost races and rewrites after sequence conflicts.</param>
public sealed record CommitResult(long SnapshotId, bool AlreadyCommitted, int Attempts)
{
    /// <summary>The compaction the writer ran after its commit (a later COMPACT snapshot), if any.</summary>
    public Table.CompactOutcome? Compaction { get; init; }
}

/// <summary>
/// A primary-key bucket received rows from another writer after this writer assigned its sequence numbers,
/// so this writer's rows would not order after theirs. The writer must rewrite its files with fresh sequence
/// numbers; the files it wrote are orphans and safe to delete.
/// </summary>
public sealed class SequenceConflictException(string message) : TableStoreException(message)
{
    /// <summary>Another writer committed to the same bucket: a later attempt, above its sequence numbers, can succeed.</summary>
    protected override bool RetryableByDefault => true;
}
