namespace TableStore.Core.Api;

/// <summary>The row found (null: none) and the snapshot read (null: the table has no snapshot).</summary>
public sealed record LookupOutcome(long? SnapshotId, object?[]? Row);
