namespace TableStore.Abstractions;

/// <summary>One column of a new table: its name and its type as the CLI writes it (<c>BIGINT NOT NULL</c>, <c>DECIMAL(10,2)</c>).</summary>
[GenerateSerializer, Immutable, Alias("TableStore.ColumnSpec")]
public sealed record ColumnSpec([property: Id(0)] string Name, [property: Id(1)] string Type);

/// <summary>What a new table looks like; ids and the schema file are the catalog's business.</summary>
[GenerateSerializer, Immutable, Alias("TableStore.TableSpec")]
public sealed record TableSpec(
    [property: Id(0)] IReadOnlyList<ColumnSpec> Columns,
    [property: Id(1)] IReadOnlyList<string> PrimaryKeys,
    [property: Id(2)] IReadOnlyList<string> PartitionKeys,
    [property: Id(3)] int Buckets,
    [property: Id(4)] IReadOnlyDictionary<string, string> Options);

/// <summary>
/// A table as the service sees it. The schema travels in its on-disk JSON form (<c>schema/schema-N</c>), so a client
/// types values, routes keys and parses input exactly as the service does.
/// </summary>
[GenerateSerializer, Immutable, Alias("TableStore.TableInfo")]
public sealed record TableInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] string SchemaJson,
    [property: Id(2)] long? LatestSnapshotId);

/// <summary>Changes to a table's options: keys to set, keys to remove.</summary>
[GenerateSerializer, Immutable, Alias("TableStore.TableAlteration")]
public sealed record TableAlteration(
    [property: Id(0)] IReadOnlyDictionary<string, string> SetOptions,
    [property: Id(1)] IReadOnlyList<string> RemoveOptions);
