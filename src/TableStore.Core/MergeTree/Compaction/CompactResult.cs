using TableStore.Core.Manifest;

namespace TableStore.Core.MergeTree.Compaction;

/// <summary>What a compaction of one bucket did: the files it replaces and the files replacing them.</summary>
public sealed record CompactResult(object?[] Partition, int Bucket, IReadOnlyList<DataFileMeta> Before, IReadOnlyList<DataFileMeta> After)
{
    /// <summary>The <c>full-compaction</c> changelog producer's output: what changed since the previous full compaction.</summary>
    public IReadOnlyList<DataFileMeta> Changelog { get; init; } = [];

    public long BytesRead => Before.Sum(f => f.FileSize);
    public long BytesWritten => After.Sum(f => f.FileSize);
    public long RowsRead => Before.Sum(f => f.RowCount);
    public long RowsWritten => After.Sum(f => f.RowCount);
}
