using TableStore.Core.Format;
using TableStore.Core.MergeTree;
using TableStore.Core.Schema;

namespace TableStore.Core.Scan;

/// <summary>
/// Reads planned splits: primary-key buckets are merged (k-way, table merge engine, retractions dropped),
/// append-only buckets are concatenated in write order. Rows come out full-width in schema order with only
/// the needed columns filled; the caller projects.
/// </summary>
public sealed class TableRead(TableSchema schema, DataFileReader files)
{
    private readonly KeyComparer _keys = new(schema.KeyIndices, schema);

    /// <summary>Reads one split completely: merged, filtered, full-width rows in key (or write) order.</summary>
    public async Task<List<object?[]>> ReadAsync(DataSplit split, bool[] needed, Predicate? filter, CancellationToken ct = default)
    {
        var result = new List<object?[]>();
        if (schema.Kind == TableKind.PrimaryKey)
        {
            needed = (bool[])needed.Clone();
            foreach (var k in schema.KeyIndices) needed[k] = true;
            var runs = new List<IReadOnlyList<KeyValue>>(split.Files.Count);
            foreach (var f in split.Files)
                runs.Add(await files.ReadAsync(split.Partition, split.Bucket, f, needed, ct).ConfigureAwait(false));
            var merge = MergeFunctions.Create(schema.CoreOptions.MergeEngine);
            foreach (var kv in SortMergeReader.Merge(runs, _keys, merge, dropRetracts: true))
                if (filter is null || filter.Matches(kv.Row)) result.Add(kv.Row);
        }
        else
        {
            foreach (var f in split.Files.OrderBy(f => f.MinSequence))
                foreach (var kv in await files.ReadAsync(split.Partition, split.Bucket, f, needed, ct).ConfigureAwait(false))
                    if (filter is null || filter.Matches(kv.Row)) result.Add(kv.Row);
        }
        return result;
    }
}
