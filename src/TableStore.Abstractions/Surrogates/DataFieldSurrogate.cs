namespace TableStore.Abstractions.Surrogates;

/// <summary>One column: its stable field id, name and type (SQL text, as in schema files).</summary>
[GenerateSerializer, Immutable, Alias("TableStore.DataField")]
public readonly record struct DataFieldSurrogate([property: Id(0)] int Id, [property: Id(1)] string Name, [property: Id(2)] string Type);
