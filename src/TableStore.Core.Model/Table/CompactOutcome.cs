namespace TableStore.Core.Table;

/// <summary>The outcome of a compaction job; <see cref="SnapshotId"/> is null when nothing needed compacting.</summary>
public sealed record CompactOutcome(long? SnapshotId, int Buckets, int FilesBefore, int FilesAfter, long BytesRead, long BytesWritten,
    long RowsRead, long RowsWritten)
{
    public static readonly CompactOutcome Nothing = new(null, 0, 0, 0, 0, 0, 0, 0);
}
