namespace TableStore.Core.Table;

public sealed record RescaleOutcome(long? SnapshotId, int OldBuckets, int NewBuckets, int Partitions, long Rows);
