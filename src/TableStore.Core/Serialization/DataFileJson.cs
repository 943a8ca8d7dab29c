namespace TableStore.Core.Serialization;

internal sealed record DataFileJson(
    string FileName, long FileSize, long RowCount, List<string?> MinKey, List<string?> MaxKey,
    long MinSequence, long MaxSequence, int Level, long SchemaId, List<ColumnStatsJson> ValueStats,
    long DeleteRowCount, long CreationTimeMillis);
