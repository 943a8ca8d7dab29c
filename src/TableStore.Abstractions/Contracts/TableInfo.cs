namespace TableStore.Abstractions;

/// <summary>
/// A table as the service sees it: its latest schema (so a client types values, routes keys and parses input exactly
/// as the service does) and its latest snapshot id.
/// </summary>
[GenerateSerializer, Immutable, Alias("TableStore.TableInfo")]
public sealed record TableInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] Core.Schema.TableSchema Schema,
    [property: Id(2)] long? LatestSnapshotId);
