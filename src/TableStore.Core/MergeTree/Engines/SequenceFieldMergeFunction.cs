using TableStore.Core.Data;

namespace TableStore.Core.MergeTree.Engines;

/// <summary>
/// <c>sequence.field</c>: versions are applied in the order of a data column (then arrival), not arrival alone,
/// so late-arriving old data cannot overwrite newer data. Nulls order first.
/// </summary>
public sealed class SequenceFieldMergeFunction(IMergeFunction inner, int[] fields) : IMergeFunction
{
    private readonly List<KeyValue> _versions = [];

    public void Reset() => _versions.Clear();

    public void Add(in KeyValue kv) => _versions.Add(kv);

    public KeyValue? GetResult()
    {
        _versions.Sort(Compare);
        inner.Reset();
        long max = long.MinValue;
        foreach (var v in _versions)
        {
            inner.Add(v);
            max = Math.Max(max, v.Sequence);
        }
        return inner.GetResult() is { } r ? r with { Sequence = max } : null;
    }

    private int Compare(KeyValue a, KeyValue b)
    {
        foreach (var f in fields)
        {
            int c = Values.CompareNullable(a.Row[f], b.Row[f]);
            if (c != 0) return c;
        }
        return a.Sequence.CompareTo(b.Sequence);
    }
}
