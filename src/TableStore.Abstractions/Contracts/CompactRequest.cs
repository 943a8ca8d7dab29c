namespace TableStore.Abstractions;

/// <summary>A compaction job run by the table grain: full or by the triggers, optionally one partition (<c>k=v[,k=v]</c>).</summary>
[GenerateSerializer, Immutable, Alias("TableStore.CompactRequest")]
public sealed record CompactRequest([property: Id(0)] bool Full, [property: Id(1)] string? Partition);

