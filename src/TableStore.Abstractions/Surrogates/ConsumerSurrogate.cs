using TableStore.Core.Tags;
using TableStore.Core.Consumers;

namespace TableStore.Abstractions.Surrogates;

/// <summary>A streaming consumer: its id and the next snapshot it will read.</summary>
[GenerateSerializer, Immutable, Alias("TableStore.Consumer")]
public readonly record struct ConsumerSurrogate([property: Id(0)] string Id, [property: Id(1)] long NextSnapshot);
