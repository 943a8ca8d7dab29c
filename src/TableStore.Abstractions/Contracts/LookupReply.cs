namespace TableStore.Abstractions;

/// <summary>The row (values in schema order) or null when the key is absent or deleted, and the snapshot read.</summary>
[GenerateSerializer, Immutable, Alias("TableStore.LookupReply")]
public sealed record LookupReply([property: Id(0)] long? SnapshotId, [property: Id(1)] object?[]? Row);
