namespace TableStore.Abstractions;

[GenerateSerializer, Immutable, Alias("TableStore.OrphansRequest")]
public sealed record OrphansRequest([property: Id(0)] TimeSpan OlderThan, [property: Id(1)] bool DryRun);
