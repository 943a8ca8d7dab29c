using TableStore.Core.Schema;

namespace TableStore.Abstractions.Surrogates;

/// <summary>
/// How a <see cref="TableSchema"/> (a Core.Model type, which knows nothing of Orleans) crosses the wire: its fields
/// with their types in SQL text (<c>DECIMAL(10,2) NOT NULL</c>), keys, bucket count and options. Rebuilt through the
/// schema's constructor, so the other side validates and derives exactly what a schema file would give.
/// </summary>
[GenerateSerializer, Immutable, Alias("TableStore.TableSchema")]
public readonly record struct TableSchemaSurrogate(
    [property: Id(0)] long Id,
    [property: Id(1)] DataFieldSurrogate[] Fields,
    [property: Id(2)] string[] PrimaryKeys,
    [property: Id(3)] string[] PartitionKeys,
    [property: Id(4)] int Buckets,
    [property: Id(5)] Dictionary<string, string> Options,
    [property: Id(6)] long TimeMillis,
    [property: Id(7)] int HighestFieldId);

