using TableStore.Core.Table;

namespace TableStore.Abstractions.Surrogates;

[GenerateSerializer, Immutable, Alias("TableStore.ExpireOutcome")]
public readonly record struct ExpireOutcomeSurrogate(
    [property: Id(0)] int SnapshotsExpired, [property: Id(1)] long? EarliestRetained, [property: Id(2)] int DataFilesDeleted,
    [property: Id(3)] int ManifestFilesDeleted, [property: Id(4)] int ProtectedByConsumers);
