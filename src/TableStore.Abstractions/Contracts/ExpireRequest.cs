namespace TableStore.Abstractions;

[GenerateSerializer, Immutable, Alias("TableStore.ExpireRequest")]
public sealed record ExpireRequest([property: Id(0)] int RetainLast, [property: Id(1)] TimeSpan? OlderThan);
