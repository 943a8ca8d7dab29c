namespace TableStore.Core.Table;

/// <summary>One bucket's share of a write: its partition and bucket, and its rows (kinds and values) in arrival order.</summary>
public sealed class BucketGroup(object?[] partition, int bucket)
{
    public object?[] Partition { get; } = partition;
    public int Bucket { get; } = bucket;
    public List<byte> Kinds { get; } = [];
    public List<object?[]> Rows { get; } = [];

    /// <summary>The rows' estimated size in memory (what a group commit counts against its byte limit).</summary>
    public long Bytes { get; internal set; }
}
