using TableStore.Core.Table;

namespace TableStore.Abstractions.Surrogates;

[GenerateSerializer, Immutable, Alias("TableStore.RescaleOutcome")]
public readonly record struct RescaleOutcomeSurrogate(
    [property: Id(0)] long? SnapshotId, [property: Id(1)] int OldBuckets, [property: Id(2)] int NewBuckets, [property: Id(3)] int Partitions, [property: Id(4)] long Rows);
