namespace TableStore.Abstractions;

[GenerateSerializer, Immutable, Alias("TableStore.ScanHeader")]
public sealed record ScanHeader([property: Id(0)] IReadOnlyList<Core.Schema.DataField> Columns, [property: Id(1)] long? SnapshotId);
