namespace TableStore.Core.MergeTree;

/// <summary>The <c>deduplicate</c> merge engine: the row with the highest sequence wins.</summary>
public sealed class DeduplicateMergeFunction : IMergeFunction
{
    private KeyValue? _latest;
    public void Reset() => _latest = null;
    public void Add(in KeyValue kv) => _latest = kv;
    public KeyValue? GetResult() => _latest;
}
