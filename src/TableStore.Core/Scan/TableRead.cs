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
    /// <summary>Reads one split completely: merged, filtered, full-width rows in key (or write) order.</summary>
    public async Task<List<object?[]>> ReadAsync(DataSplit split, bool[] needed, Predicate? filter, CancellationToken ct = default)
    {
        var result = new List<object?[]>();
        if (schema.Kind == TableKind.PrimaryKey)
        {
            needed = (bool[])needed.Clone();
            foreach (var k in schema.KeyIndices) needed[k] = true;
            var runs = new List<ColumnBatch>(split.Files.Count);
            try
            {
                foreach (var f in split.Files)
                    runs.Add(await files.ReadBatchAsync(split.Partition, split.Bucket, f, needed, ct).ConfigureAwait(false));
                var merge = MergeFunctions.Create(schema.CoreOptions.MergeEngine);
                foreach (var row in new BatchMergeReader(runs, schema).Read(merge))
                    if (filter is null || filter.Matches(row)) result.Add(row);
            }
            finally
            {
                foreach (var r in runs) r.Dispose();
            }
        }
        else
        {
            foreach (var f in split.Files.OrderBy(f => f.MinSequence))
            {
                using var batch = await files.ReadBatchAsync(split.Partition, split.Bucket, f, needed, ct).ConfigureAwait(false);
                for (int i = 0; i < batch.RowCount; i++)
                {
                    var row = batch.Row(i);
                    if (filter is null || filter.Matches(row)) result.Add(row);
                }
            }
        }
        return result;
    }
}
