using TableStore.Core.Maintenance;

namespace TableStore.Abstractions.Surrogates;

[GenerateSerializer, Immutable, Alias("TableStore.OrphanCleanOutcome")]
public readonly record struct OrphanCleanOutcomeSurrogate([property: Id(0)] OrphanFile[] Orphans, [property: Id(1)] bool Deleted, [property: Id(2)] int YoungerSkipped);
