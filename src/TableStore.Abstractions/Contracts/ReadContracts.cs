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

/// <summary>
/// One page of a scan. The first page carries the <see cref="Header"/> (output columns, snapshot read), later
/// pages only rows.
/// </summary>
[GenerateSerializer, Immutable, Alias("TableStore.ScanPage")]
public sealed record ScanPage([property: Id(0)] ScanHeader? Header, [property: Id(1)] object?[][] Rows);

[GenerateSerializer, Immutable, Alias("TableStore.ScanHeader")]
public sealed record ScanHeader([property: Id(0)] IReadOnlyList<ColumnSpec> Columns, [property: Id(1)] long? SnapshotId);

/// <summary>
/// A point lookup by primary key (values in primary-key order, typed). <see cref="SnapshotId"/>: read that
/// snapshot; null reads the latest, and at least <see cref="MinSnapshotId"/> (a client's own last write), so a
/// client always reads its own writes.
/// </summary>
[GenerateSerializer, Immutable, Alias("TableStore.LookupRequest")]
public sealed record LookupRequest(
    [property: Id(0)] object?[] Key,
    [property: Id(1)] long? SnapshotId,
    [property: Id(2)] long MinSnapshotId);

/// <summary>The row (values in schema order) or null when the key is absent or deleted, and the snapshot read.</summary>
[GenerateSerializer, Immutable, Alias("TableStore.LookupReply")]
public sealed record LookupReply([property: Id(0)] long? SnapshotId, [property: Id(1)] object?[]? Row);
