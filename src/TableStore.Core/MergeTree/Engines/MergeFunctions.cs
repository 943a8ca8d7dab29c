using TableStore.Core.Data;

namespace TableStore.Core.MergeTree.Engines;

/// <summary>
/// Shared shape of the engines that fold versions into one row (<c>partial-update</c>, <c>aggregation</c>).
/// Stored kinds mean: +U merges into older versions, +I replaces them (a merged group that began after a
/// delete), -D deletes the key. User +I/+U rows are stored as +U (see <see cref="MergeEngineSpec.Prepare"/>),
/// so an intermediate merge (a memtable flush, a partial compaction) never loses a delete that older runs
/// still need to see. The result carries the group's highest sequence number.
/// </summary>
public abstract class FoldingMergeFunction : IMergeFunction
{
    private object?[]? _acc;
    private bool _replacesOlder;
    private KeyValue? _delete;
    private long _maxSequence;

    public void Reset()
    {
        _acc = null;
        _replacesOlder = false;
        _delete = null;
        _maxSequence = long.MinValue;
    }

    public void Add(in KeyValue kv)
    {
        _maxSequence = Math.Max(_maxSequence, kv.Sequence);
        switch (kv.Kind)
        {
            case RowKind.Delete:
                _acc = null;
                _replacesOlder = true;
                _delete = kv;
                break;
            case RowKind.Insert:
                _acc = (object?[])kv.Row.Clone();
                _replacesOlder = true;
                break;
            case RowKind.UpdateBefore:
                break; // never stored by these engines
            default:
                if (_acc is null) _acc = (object?[])kv.Row.Clone();
                else Fold(_acc, kv.Row);
                break;
        }
    }

    protected abstract void Fold(object?[] acc, object?[] row);

    public KeyValue? GetResult()
    {
        if (_acc is not null) return new KeyValue(_acc, _maxSequence, _replacesOlder ? RowKind.Insert : RowKind.UpdateAfter);
        return _delete is { } d ? d with { Sequence = _maxSequence } : null;
    }
}

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

/// <summary><c>aggregation</c>: every non-key field folds with its aggregate function.</summary>
public sealed class AggregateMergeFunction(FieldAggregator?[] aggregators) : FoldingMergeFunction
{
    protected override void Fold(object?[] acc, object?[] row)
    {
        for (int f = 0; f < aggregators.Length; f++)
            if (aggregators[f] is { } a) acc[f] = a.Aggregate(acc[f], row[f]);
    }
}

/// <summary><c>first-row</c>: the first version of a key wins; later ones are ignored.</summary>
public sealed class FirstRowMergeFunction : IMergeFunction
{
    private KeyValue? _first;
    private long _maxSequence;

    public void Reset()
    {
        _first = null;
        _maxSequence = long.MinValue;
    }

    public void Add(in KeyValue kv)
    {
        _maxSequence = Math.Max(_maxSequence, kv.Sequence);
        _first ??= kv;
    }

    public KeyValue? GetResult() => _first is { } f ? f with { Sequence = _maxSequence, Kind = RowKind.Insert } : null;
}

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
