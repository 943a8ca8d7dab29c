namespace TableStore.Abstractions;

/// <summary>A compaction job run by the table grain: full or by the triggers, optionally one partition (<c>k=v[,k=v]</c>).</summary>
[GenerateSerializer, Immutable, Alias("TableStore.CompactRequest")]
public sealed record CompactRequest([property: Id(0)] bool Full, [property: Id(1)] string? Partition);

[GenerateSerializer, Immutable, Alias("TableStore.ExpireRequest")]
public sealed record ExpireRequest([property: Id(0)] int RetainLast, [property: Id(1)] TimeSpan? OlderThan);

[GenerateSerializer, Immutable, Alias("TableStore.OrphansRequest")]
public sealed record OrphansRequest([property: Id(0)] TimeSpan OlderThan, [property: Id(1)] bool DryRun);
