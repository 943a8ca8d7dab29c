using TableStore.Core.Data;

namespace TableStore.Core.MergeTree.Engines;

/// <summary>
/// <c>partial-update</c>: each non-null field of a newer row overwrites the field; nulls leave it as it was.
/// Fields of a sequence group (<c>fields.&lt;g&gt;.sequence-group=a,b</c>) change together, only when the row's
/// <c>g</c> is not null and not older than the stored <c>g</c>; then they take the row's values, nulls included.
/// </summary>
public sealed class PartialUpdateMergeFunction(int[] plainFields, (int Sequence, int[] Fields)[] groups) : FoldingMergeFunction
{
    protected override void Fold(object?[] acc, object?[] row)
    {
        foreach (var f in plainFields)
            if (row[f] is { } v) acc[f] = v;
        foreach (var (seq, fields) in groups)
        {
            if (row[seq] is not { } s || acc[seq] is { } current && Values.Compare(s, current) < 0) continue;
            acc[seq] = s;
            foreach (var f in fields) acc[f] = row[f];
        }
    }
}
