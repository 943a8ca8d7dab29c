namespace TableStore.Abstractions.Surrogates;

/// <summary>A committed write: the snapshot that holds its rows, and whether a retry found it committed before.</summary>
[GenerateSerializer, Immutable, Alias("TableStore.WriteOutcome")]
public readonly record struct WriteOutcomeSurrogate([property: Id(0)] long SnapshotId, [property: Id(1)] bool AlreadyCommitted);
