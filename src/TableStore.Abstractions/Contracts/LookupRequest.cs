namespace TableStore.Abstractions;

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
