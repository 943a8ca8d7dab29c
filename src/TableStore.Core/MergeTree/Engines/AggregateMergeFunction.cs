namespace TableStore.Core.MergeTree.Engines;

/// <summary><c>aggregation</c>: every non-key field folds with its aggregate function.</summary>
public sealed class AggregateMergeFunction(FieldAggregator?[] aggregators) : FoldingMergeFunction
{
    protected override void Fold(object?[] acc, object?[] row)
    {
        for (int f = 0; f < aggregators.Length; f++)
            if (aggregators[f] is { } a) acc[f] = a.Aggregate(acc[f], row[f]);
    }
}
