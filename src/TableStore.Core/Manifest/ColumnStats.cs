namespace TableStore.Core.Manifest;

/// <summary>Min, max and null count of one column in one data file; null min/max means unknown.</summary>
public sealed record ColumnStats(int FieldId, object? Min, object? Max, long NullCount);
