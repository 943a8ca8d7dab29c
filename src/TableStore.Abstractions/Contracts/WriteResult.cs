namespace TableStore.Abstractions;

/// <summary>
/// The snapshot that holds the write's rows (null: the write had no rows). <see cref="AlreadyCommitted"/>: a retry of a write committed
/// before, whose rows were not written again.
/// </summary>
[GenerateSerializer, Immutable, Alias("TableStore.WriteResult")]
public sealed record WriteResult(
    [property: Id(0)] long? SnapshotId,
    [property: Id(1)] bool AlreadyCommitted,
    [property: Id(2)] int Rows);
