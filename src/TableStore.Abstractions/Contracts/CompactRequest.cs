namespace TableStore.Abstractions;

/// <summary>A compaction job run by the table grain: full or by the triggers, optionally some partitions (partition column → value).</summary>
[GenerateSerializer, Immutable, Alias("TableStore.CompactRequest")]
public sealed record CompactRequest([property: Id(0)] bool Full, [property: Id(1)] IReadOnlyDictionary<string, string>? Partition);

