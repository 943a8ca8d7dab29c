using Microsoft.Extensions.Logging;
using TableStore.Core.Commit;
using TableStore.Core.Data;
using TableStore.Core.Diagnostics;
using TableStore.Core.Format;
using TableStore.Core.Lookup;
using TableStore.Core.Manifest;
using TableStore.Core.MergeTree;
using TableStore.Core.MergeTree.Compaction;

namespace TableStore.Core.Table;

/// <summary>
/// One bucket written batch after batch by a long-lived writer (the service's bucket writer): each batch becomes
/// level-0 files and a commit message. Between batches it keeps what it knows of the bucket:
/// <list type="bullet">
/// <item>the next sequence number: restarted above the bucket's committed files on the first batch and whenever
/// the caller says another writer may have committed meanwhile, so rows written now win over rows committed
/// before;</item>
/// <item>back-pressure: at <c>num-sorted-run.stop-trigger</c> sorted runs a batch waits for the bucket's compaction
/// (at most a stall timeout), the way Paimon's merge-tree writer waits on its compaction manager. Only this writer
/// adds runs (one per file it writes) and compactions only remove them, so the count from the last listing plus
/// the files written since is an upper bound, and the bucket's files are listed only when that bound nears the
/// trigger.</item>
/// </list>
/// Not thread-safe: one batch at a time.
/// </summary>
public sealed class BucketBatchWriter(object?[] partition, int bucket, ILogger log)
{
    private long? _nextSequence;
    private int? _knownRuns;

    public object?[] Partition => partition;

    public int Bucket => bucket;

    /// <summary>The bucket's compaction, for back-pressure: starts one unless one runs, and returns it.</summary>
    public delegate Task EnsureCompaction();

    /// <summary>
    /// Writes one batch's rows, in order, into level-0 files of <paramref name="table"/>'s current schema.
    /// </summary>
    /// <param name="reloadSequence">Another writer may have committed to this bucket since the last batch.</param>
    /// <param name="compaction">Runs the bucket's compaction when the batch must wait for it.</param>
    /// <param name="stallTimeout">The longest a batch waits for that compaction.</param>
    /// <param name="lookupCache">Decoded files for the lookup changelog producer's previous values.</param>
    public async Task<CommitMessage> WriteBatchAsync(FileStoreTable table, IAsyncEnumerable<(RowKind Kind, object?[] Values)> rows, bool reloadSequence,
        EnsureCompaction compaction, TimeSpan stallTimeout, LookupFileCache lookupCache, CancellationToken ct = default)
    {
        // The bucket's committed files are listed at most once per batch, and only when needed.
        List<DataFileMeta>? committed = null;
        async Task<List<DataFileMeta>> Committed() => committed ??= await CommittedFilesAsync(table, ct).ConfigureAwait(false);
        if (_nextSequence is null || reloadSequence)
            _nextSequence = Math.Max(_nextSequence ?? 0, (await Committed().ConfigureAwait(false)).Select(f => f.MaxSequence).DefaultIfEmpty(-1).Max() + 1);

        await StallWhileTooManyRunsAsync(table, Committed, compaction, stallTimeout).ConfigureAwait(false);

        var files = new DataFileWriter(table.Store, table.Paths, table.Schema, table.Time);
        // Previous values as of the latest snapshot: the caller commits this batch next, and any other commit to the
        // bucket meanwhile is a sequence conflict, after which the batch is written again.
        var basis = PreviousValues.AreNeeded(table.Schema) ? await table.Snapshots.LatestAsync(ct).ConfigureAwait(false) : null;
        // The table's buckets flush their batches at once, on the silos that hold them: each gets its share of the
        // write buffer, so a large (staged) batch holds about write-buffer-size in memory across all of them.
        var limit = Math.Max(1, table.Schema.CoreOptions.WriteBufferSize / table.Schema.BucketCount);
        var writer = new BucketWriter(files, table.Schema, partition, bucket, _nextSequence.Value, PreviousValues.For(table, partition, bucket, basis, lookupCache), limit);
        await foreach (var (kind, values) in rows.WithCancellation(ct).ConfigureAwait(false))
        {
            writer.Write(kind, values);
            if (writer.IsFull) await writer.FlushAsync(ct).ConfigureAwait(false);
        }
        var message = await writer.PrepareCommitAsync(ct).ConfigureAwait(false);
        _nextSequence = writer.NextSequence;
        // Each level-0 file is a run of its own (a batch that rolled files adds several).
        if (_knownRuns is { } known) _knownRuns = known + SortedRun.Of(message.NewFiles).Count;
        return message;
    }

    private async Task StallWhileTooManyRunsAsync(FileStoreTable table, Func<Task<List<DataFileMeta>>> committed, EnsureCompaction compaction, TimeSpan stallTimeout)
    {
        var options = table.Schema.CoreOptions;
        if (options.WriteOnly) return;
        if (_knownRuns is { } bound && bound + 1 < options.StopTrigger) return;
        int runs = SortedRun.Of(await committed().ConfigureAwait(false)).Count;
        _knownRuns = runs;
        var tag = TableStoreMetrics.Table(table.Identifier.FullName);
        TableStoreMetrics.SortedRuns.Record(runs, tag);
        if (runs < options.StopTrigger) return;
        TableStoreMetrics.WriteStalls.Add(1, tag);
        log.WriteStalled(bucket, table.Identifier.FullName, runs, options.StopTrigger);
        await Task.WhenAny(compaction(), Task.Delay(stallTimeout, table.Time)).ConfigureAwait(false);
    }

    /// <summary>This bucket's live files in the latest snapshot.</summary>
    private async Task<List<DataFileMeta>> CommittedFilesAsync(FileStoreTable table, CancellationToken ct)
    {
        var latest = await table.Snapshots.LatestAsync(ct).ConfigureAwait(false);
        if (latest is null) return [];
        var key = PartitionKey.Of(partition);
        return (await table.Manifests.ReadLiveFilesAsync(latest.BaseManifestList, null, ct).ConfigureAwait(false))
            .Where(e => e.Bucket == bucket && PartitionKey.Of(e.Partition).Equals(key)).Select(e => e.File).ToList();
    }
}
