namespace TableStore.Abstractions;

/// <summary>Where a subscription starts: the next snapshot whose changes it delivers, after <see cref="Full"/> if any.</summary>
[GenerateSerializer, Immutable, Alias("TableStore.StreamPosition")]
public sealed record StreamPosition([property: Id(0)] long Next, [property: Id(1)] ChangeEvent? Full);
