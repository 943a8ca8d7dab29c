namespace TableStore.Abstractions;

/// <summary>A batch read: which snapshot (default latest), columns (default all), filter expression and limit.</summary>
[GenerateSerializer, Immutable, Alias("TableStore.ScanRequest")]
public sealed record ScanRequest
{
    [Id(0)] public long? SnapshotId { get; init; }
    [Id(1)] public long? AsOfMillis { get; init; }
    [Id(2)] public IReadOnlyList<string>? Columns { get; init; }
    [Id(3)] public string? Filter { get; init; }
    [Id(4)] public long? Limit { get; init; }
    [Id(5)] public string? Tag { get; init; }
}

