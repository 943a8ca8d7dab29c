namespace TableStore.Core.Data;

/// <summary>One row of a changelog: its kind and its values in schema order.</summary>
public readonly record struct ChangeRow(RowKind Kind, object?[] Values);
