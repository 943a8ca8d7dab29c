using TableStore.Core.Commit;
using TableStore.Core.Data;
using TableStore.Core.Format;
using TableStore.Core.Manifest;
using TableStore.Core.MergeTree;

namespace TableStore.Core.Table;

/// <summary>
/// Routes rows to bucket writers by partition and bucket hash. Each bucket's sequence counter restarts above
/// the largest sequence in the base snapshot's files of that bucket (read from file meta, never from memory),
/// so rows written now always win the merge over rows committed before. The memtables of all buckets share one
/// budget, <c>write-buffer-size</c>, the way Paimon's writers share one memory pool: when their rows together reach
/// it, the fullest bucket is flushed to a sorted run, so a write of any size holds at most that much in memory.
/// </summary>
public sealed class TableWrite
{
    private readonly FileStoreTable _table;
    private readonly Dictionary<(PartitionKey, int), long> _maxSequence;
    private readonly Dictionary<(PartitionKey, int), BucketWriter> _writers = [];
    private readonly DataFileWriter _files;
    private readonly WriteRouter _router;

    private readonly Snapshot? _base;
    private Lookup.LookupFileCache? _lookupCache;
    private long _bufferedBytes;
    private Task _spill = Task.CompletedTask; // at most one: memory stays under twice the budget

    private TableWrite(FileStoreTable table, Snapshot? baseSnapshot, Dictionary<(PartitionKey, int), long> maxSequence)
    {
        _table = table;
        _base = baseSnapshot;
        BaseSnapshotId = baseSnapshot?.Id;
        _maxSequence = maxSequence;
        _files = new DataFileWriter(table.Store, table.Paths, table.Schema, table.Time);
        _router = new WriteRouter(table.Schema);
    }

    public long? BaseSnapshotId { get; }

    /// <summary>Rows are merge results (a rewrite of the table's own data): stored without the merge engine's input rules.</summary>
    internal bool RowsAreMerged { get; set; }

    /// <summary>See <see cref="BucketWriter.SingleRunLevel"/>.</summary>
    internal int SingleRunLevel { get; set; }

    internal static async Task<TableWrite> CreateAsync(FileStoreTable table, CancellationToken ct)
    {
        var latest = await table.Snapshots.LatestAsync(ct).ConfigureAwait(false);
        var maxSeq = new Dictionary<(PartitionKey, int), long>();
        if (latest is not null)
        {
            foreach (var e in await table.Manifests.ReadLiveFilesAsync(latest.BaseManifestList, null, ct).ConfigureAwait(false))
            {
                var key = (PartitionKey.Of(e.Partition), e.Bucket);
                maxSeq[key] = Math.Max(maxSeq.GetValueOrDefault(key, -1), e.File.MaxSequence);
            }
        }
        return new TableWrite(table, latest, maxSeq);
    }

    /// <summary>
    /// Validates and buffers one row; flushes a bucket whose memtable is full. The row's value array is taken
    /// over (converted in place and kept until the files are written): the caller must not reuse it.
    /// </summary>
    public async ValueTask WriteAsync(ChangeRow row, CancellationToken ct = default)
    {
        var routed = _router.Route(row.Kind, row.Values);
        var key = routed.Location;
        if (!_writers.TryGetValue(key, out var writer))
        {
            long next = _maxSequence.TryGetValue(key, out var max) ? max + 1 : 0;
            writer = new BucketWriter(_files, _table.Schema, routed.Partition, routed.Bucket, next, PreviousValues(routed.Partition, routed.Bucket)) { SingleRunLevel = SingleRunLevel };
            _writers[key] = writer;
        }
        long before = writer.BufferedBytes;
        writer.Write(row.Kind, routed.Values, RowsAreMerged);
        _bufferedBytes += writer.BufferedBytes - before;
        if (_bufferedBytes >= _table.Schema.CoreOptions.WriteBufferSize)
        {
            // The fullest bucket's rows become a run in the background while the rows that follow are taken.
            await _spill.ConfigureAwait(false);
            var fullest = writer;
            foreach (var w in _writers.Values)
                if (w.BufferedBytes > fullest.BufferedBytes) fullest = w;
            _bufferedBytes -= fullest.BufferedBytes;
            _spill = fullest.SpillAsync(ct);
        }
    }

    /// <summary>For the lookup changelog producer: keys' values at the snapshot this write is based on.</summary>
    private PreviousValueLookup? PreviousValues(object?[] partition, int bucket) =>
        Lookup.PreviousValues.AreNeeded(_table.Schema)
            ? Lookup.PreviousValues.For(_table, partition, bucket, _base, _lookupCache ??= new Lookup.LookupFileCache(64L << 20))
            : null;

    /// <summary>Flushes every bucket and returns the commit messages of everything written so far.</summary>
    public async Task<List<CommitMessage>> PrepareCommitAsync(CancellationToken ct = default)
    {
        await _spill.ConfigureAwait(false);
        // Buckets are independent: sort, merge and encode them in parallel, one per core.
        var writers = _writers.Values.ToList();
        var results = new CommitMessage[writers.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, writers.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct },
            async (i, token) => results[i] = await writers[i].PrepareCommitAsync(token).ConfigureAwait(false)).ConfigureAwait(false);
        _bufferedBytes = 0;
        return results.Where(m => !m.IsEmpty).ToList();
    }

    /// <summary>Gives up the write: drops the memtables and deletes the runs already flushed.</summary>
    internal async Task DiscardAsync(CancellationToken ct)
    {
        try { await _spill.ConfigureAwait(false); }
        catch (Exception) { } // the write already failed; what the spill wrote is deleted below or left to orphan cleanup
        _bufferedBytes = 0;
        await AbortAsync(_writers.Values.Select(w => w.Discard()).ToList(), ct).ConfigureAwait(false);
    }

    /// <summary>Deletes files of messages that will never be committed (e.g. after a sequence conflict).</summary>
    internal async Task AbortAsync(IEnumerable<CommitMessage> messages, CancellationToken ct)
    {
        foreach (var m in messages)
            foreach (var f in m.NewFiles.Concat(m.ChangelogFiles))
                await _table.Store.DeleteAsync(_table.Paths.DataFile(_table.Schema.PartitionKeys, m.Partition, m.Bucket, f.FileName), ct).ConfigureAwait(false);
    }
}
