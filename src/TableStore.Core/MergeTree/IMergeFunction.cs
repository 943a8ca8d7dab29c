namespace TableStore.Core.MergeTree;

/// <summary>
/// Folds all versions of one key, fed in sequence order, into at most one row. Implementations are the
/// table's merge engine; they are reset between keys and are not thread-safe.
/// </summary>
public interface IMergeFunction
{
    void Reset();
    void Add(in KeyValue kv);
    /// <summary>The merged row, which may be a retraction (-U/-D); null when nothing remains.</summary>
    KeyValue? GetResult();
}
