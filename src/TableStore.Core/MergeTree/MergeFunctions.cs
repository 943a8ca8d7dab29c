using TableStore.Core.MergeTree.Engines;
using TableStore.Core.Schema;

namespace TableStore.Core.MergeTree;

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
