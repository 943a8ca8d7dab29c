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
    /// <summary>Files of one split fetched at once from a remote store (S3, Azure).</summary>
    private const int RemoteFilesInFlight = 4;

    /// <summary>
    /// Decodes and merges one split. The expensive part (decompression, decoding, the merge) happens here,
    /// typically ahead on another core; rows are boxed later, one at a time, by <see cref="PreparedSplit.Rows"/>,
    /// so a scan's rows die young instead of piling up per split.
    /// </summary>
    public async Task<PreparedSplit> PrepareAsync(DataSplit split, bool[] needed, CancellationToken ct = default)
    {
        if (schema.Kind == TableKind.PrimaryKey)
        {
            needed = (bool[])needed.Clone();
            foreach (var k in schema.KeyIndices) needed[k] = true;
        }
        var ordered = schema.Kind == TableKind.PrimaryKey ? split.Files : split.Files.OrderBy(f => f.MinSequence).ToList();
        var read = new ColumnBatch?[ordered.Count];
        try
        {
            if (files.IsRemote && ordered.Count > 1)
            {
                // Over the network a file costs round trips, not CPU: fetch a split's files together.
                await Parallel.ForEachAsync(Enumerable.Range(0, ordered.Count), new ParallelOptions { MaxDegreeOfParallelism = RemoteFilesInFlight, CancellationToken = ct },
                    async (i, token) => read[i] = await files.ReadBatchAsync(split.Partition, split.Bucket, ordered[i], needed, token).ConfigureAwait(false)).ConfigureAwait(false);
            }
            else
            {
                for (int i = 0; i < ordered.Count; i++)
                    read[i] = await files.ReadBatchAsync(split.Partition, split.Bucket, ordered[i], needed, ct).ConfigureAwait(false);
            }
            var runs = read.Select(r => r!).ToList();
            var picks = schema.Kind == TableKind.PrimaryKey
                ? new BatchMergeReader(runs, schema).Merge(MergeFunctions.Create(schema))
                : null;
            return new PreparedSplit(runs, picks);
        }
        catch
        {
            foreach (var r in read) r?.Dispose();
            throw;
        }
    }
}
