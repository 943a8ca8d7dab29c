using TableStore.Core.Table;

namespace TableStore.Abstractions.Surrogates;

[GenerateSerializer, Immutable, Alias("TableStore.OrphanFile")]
public readonly record struct OrphanFileSurrogate([property: Id(0)] string Path, [property: Id(1)] long Size, [property: Id(2)] DateTimeOffset LastModified);
