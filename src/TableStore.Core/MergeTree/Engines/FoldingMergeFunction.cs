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
