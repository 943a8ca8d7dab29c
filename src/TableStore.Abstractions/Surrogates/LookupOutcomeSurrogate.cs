namespace TableStore.Abstractions.Surrogates;

/// <summary>The row found (values in schema order; null when the key is absent or deleted) and the snapshot read.</summary>
[GenerateSerializer, Immutable, Alias("TableStore.LookupOutcome")]
public readonly record struct LookupOutcomeSurrogate([property: Id(0)] long? SnapshotId, [property: Id(1)] object?[]? Row);
