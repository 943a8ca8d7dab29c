using TableStore.Core.Data;

namespace TableStore.Core.MergeTree.Engines;

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
