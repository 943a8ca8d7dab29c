using TableStore.Core.MergeTree.Engines;
using TableStore.Core.Schema;

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

/// <summary>The <c>deduplicate</c> merge engine: the row with the highest sequence wins.</summary>
public sealed class DeduplicateMergeFunction : IMergeFunction
{
    private KeyValue? _latest;
    public void Reset() => _latest = null;
    public void Add(in KeyValue kv) => _latest = kv;
    public KeyValue? GetResult() => _latest;
}

public static class MergeFunctions
{
    public static IMergeFunction Create(Schema.TableSchema schema)
    {
        var spec = schema.MergeSpec;
        IMergeFunction merge = spec.Engine switch
        {
            MergeEngine.Deduplicate => new DeduplicateMergeFunction(),
            MergeEngine.PartialUpdate => new PartialUpdateMergeFunction(spec.PlainFields, spec.Groups),
            MergeEngine.Aggregation => new AggregateMergeFunction(spec.Aggregators),
            MergeEngine.FirstRow => new FirstRowMergeFunction(),
            _ => throw new NotSupportedException($"Merge engine {spec.Engine} is not supported."),
        };
        return spec.SequenceFields.Length == 0 ? merge : new SequenceFieldMergeFunction(merge, spec.SequenceFields);
    }
}
