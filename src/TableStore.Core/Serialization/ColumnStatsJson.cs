namespace TableStore.Core.Serialization;

internal sealed record ColumnStatsJson(int FieldId, string? Min, string? Max, long NullCount);
