namespace TableStore.Core.Api;

/// <summary>The snapshot holding a write; <see cref="AlreadyCommitted"/>: a rerun of a committed write, nothing written again.</summary>
public sealed record WriteOutcome(long SnapshotId, bool AlreadyCommitted);
