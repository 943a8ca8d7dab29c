using TableStore.Core.Manifest;
using TableStore.Core.Consumers;

namespace TableStore.Abstractions.Surrogates;

/// <summary>A tag: its name and the snapshot it pins.</summary>
[GenerateSerializer, Immutable, Alias("TableStore.Tag")]
public readonly record struct TagSurrogate([property: Id(0)] string Name, [property: Id(1)] Snapshot Snapshot);
