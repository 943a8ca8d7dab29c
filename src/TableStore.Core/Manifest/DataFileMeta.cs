using System.Collections.Immutable;

namespace TableStore.Core.Manifest;

/// <summary>
/// What the manifest records about one immutable data file. Keys and sequence ranges drive the merge and
/// lookups; column stats drive predicate pruning.
/// </summary>
public sealed record DataFileMeta(
    string FileName,
    long FileSize,
    long RowCount,
    object?[] MinKey,
    object?[] MaxKey,
    long MinSequence,
    long MaxSequence,
    int Level,
    long SchemaId,
    ImmutableArray<ColumnStats> ValueStats,
    long DeleteRowCount,
    long CreationTimeMillis)
{
    public bool HasDeletes => DeleteRowCount > 0;

    public ColumnStats? StatsFor(int fieldId)
    {
        foreach (var s in ValueStats)
            if (s.FieldId == fieldId) return s;
        return null;
    }
}
