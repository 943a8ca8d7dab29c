using TableStore.Core.Schema;

namespace TableStore.Abstractions.Surrogates;

/// <summary>What a new table looks like; ids and the schema file are the catalog's business.</summary>
[GenerateSerializer, Immutable, Alias("TableStore.TableDefinition")]
public readonly record struct TableDefinitionSurrogate(
    [property: Id(0)] IReadOnlyList<DataField> Columns,
    [property: Id(1)] IReadOnlyList<string>? PrimaryKeys,
    [property: Id(2)] IReadOnlyList<string>? PartitionKeys,
    [property: Id(3)] int Buckets,
    [property: Id(4)] IReadOnlyDictionary<string, string>? Options);
