namespace TableStore.Abstractions;

/// <summary>
/// One page of a scan. The first page carries the <see cref="Header"/> (output columns, snapshot read), later
/// pages only rows.
/// </summary>
[GenerateSerializer, Immutable, Alias("TableStore.ScanPage")]
public sealed record ScanPage([property: Id(0)] ScanHeader? Header, [property: Id(1)] object?[][] Rows);
