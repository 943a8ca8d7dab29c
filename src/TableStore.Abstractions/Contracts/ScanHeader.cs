namespace TableStore.Abstractions;

[GenerateSerializer, Immutable, Alias("TableStore.ScanHeader")]
public sealed record ScanHeader([property: Id(0)] IReadOnlyList<ColumnSpec> Columns, [property: Id(1)] long? SnapshotId);
