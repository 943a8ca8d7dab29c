namespace TableStore.Core.Table;

/// <summary>One bucket's staged rows of a write: its partition, its bucket, and the objects holding them in part order.</summary>
public sealed record StagedBucket(object?[] Partition, int Bucket, IReadOnlyList<string> Paths);
