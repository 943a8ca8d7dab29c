using TableStore.Core.Data;

namespace TableStore.Core.MergeTree;

/// <summary>A row as the LSM tree holds it: values in schema order, its sequence number in the bucket and its kind.</summary>
public readonly record struct KeyValue(object?[] Row, long Sequence, RowKind Kind);
