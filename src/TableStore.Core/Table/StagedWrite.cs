namespace TableStore.Core.Table;

/// <summary>A write whose parts are all staged (<see cref="StagedWrites"/>): what its commit hands to each bucket's writer.</summary>
public sealed record StagedWrite(string WriteId, long SchemaId, long Rows, long Bytes, IReadOnlyList<StagedBucket> Buckets);
