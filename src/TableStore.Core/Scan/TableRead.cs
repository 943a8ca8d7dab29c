using TableStore.Core.Format;
using TableStore.Core.MergeTree;
using TableStore.Core.Schema;

namespace TableStore.Core.Scan;

/// <summary>
/// Reads planned splits: primary-key buckets are merged (k-way, table merge engine, retractions dropped),
/// append-only buckets are concatenated in write order, both a row group at a time. Rows come out full-width in schema order with only
/// the needed columns filled; the caller projects.
/// </summary>
public sealed class TableRead(TableSchema schema, DataFileReader files)
{
    /// <summary>
    /// Opens one split and, for primary keys, merges its first segment: the expensive part (fetching, decompressing,
    /// decoding, comparing keys) starts here, typically ahead on another core, and each file decodes its next row group
    /// ahead while the caller takes the rows. Rows are boxed later, one at a time, by <see cref="PreparedSplit.Rows"/>,
    /// so a scan's rows die young, and a split holds a row group or two per file, whatever its size.
    /// </summary>
    public async Task<PreparedSplit> PrepareAsync(DataSplit split, bool[] needed, CancellationToken ct = default)
    {
        if (schema.Kind == TableKind.PrimaryKey)
        {
            needed = (bool[])needed.Clone();
            foreach (var k in schema.KeyIndices) needed[k] = true;
        }
        if (schema.Kind != TableKind.PrimaryKey)
        {
            // Append-only files are read one after another: only the next one is open.
            var inOrder = split.Files.OrderBy(f => f.MinSequence).ToList();
            Task<DataFileCursor> Open(int i, CancellationToken token) => files.OpenAsync(split.Partition, split.Bucket, inOrder[i], needed, readAhead: true, token);
            return new PreparedSplit(inOrder.Count == 0 ? null : await Open(0, ct).ConfigureAwait(false), inOrder.Count, Open);
        }
        var opened = await files.OpenAllAsync(split.Partition, split.Bucket, split.Files, needed, ct).ConfigureAwait(false);
        var merge = new BatchMergeReader(opened, schema, MergeFunctions.Create(schema));
        try { return new PreparedSplit(merge, await merge.NextAsync(ct).ConfigureAwait(false)); }
        catch
        {
            await merge.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
