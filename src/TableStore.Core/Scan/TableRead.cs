using System.Runtime.CompilerServices;
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

    public async IAsyncEnumerable<object?[]> ReadAsync(DataSplit split, bool[] needed, Predicate? filter, [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (schema.Kind == TableKind.PrimaryKey)
        {
            foreach (var k in schema.KeyIndices) needed[k] = true;
            var runs = new List<IReadOnlyList<KeyValue>>(split.Files.Count);
            foreach (var f in split.Files)
                runs.Add(await files.ReadAsync(split.Partition, split.Bucket, f, needed, ct).ConfigureAwait(false));
            var merge = MergeFunctions.Create(schema.CoreOptions.MergeEngine);
            foreach (var kv in SortMergeReader.Merge(runs, _keys, merge, dropRetracts: true))
                if (filter is null || filter.Matches(kv.Row)) yield return kv.Row;
        }
        else
        {
            foreach (var f in split.Files.OrderBy(f => f.MinSequence))
            {
                var rows = await files.ReadAsync(split.Partition, split.Bucket, f, needed, ct).ConfigureAwait(false);
                foreach (var kv in rows)
                    if (filter is null || filter.Matches(kv.Row)) yield return kv.Row;
            }
        }
    }
}
