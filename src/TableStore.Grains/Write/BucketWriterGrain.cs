using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using TableStore.Abstractions;
using TableStore.Core.Data;
using TableStore.Core.Format;
using TableStore.Core.Manifest;
using TableStore.Core.MergeTree;
using TableStore.Core.MergeTree.Compaction;
using TableStore.Core.Schema;
using TableStore.Core.Serialization;
using TableStore.Core.Table;
using TableStore.Grains.Diagnostics;

namespace TableStore.Grains.Write;

/// <summary>
/// Holds a bucket's unflushed rows in memory, per write, and turns a group-commit batch into level-0 files. Its
/// state is deliberately volatile: rows are acknowledged only after the commit, so losing an activation loses only
/// writes that were never acknowledged, and the commit grain notices (<see cref="SealAsync"/> reports them missing).
/// Sequence numbers are assigned at flush time, batch after batch, so they grow with the snapshot id.
/// Reentrant so that rows for the next batch keep arriving while this batch's files are written: the commit grain
/// sends one batch's seal, flush and release at a time, and appends only touch rows no batch has claimed.
/// After each batch the bucket compacts itself in the background (universal compaction, committed as its own
/// COMPACT snapshot by the lock-free commit protocol); a flush into a bucket at the stop trigger waits for that
/// compaction, for at most <see cref="TableStoreOptions.CompactionStallTimeout"/>.
/// </summary>
[Reentrant]
internal sealed class BucketWriterGrain(TableStoreRuntime runtime, ILogger<BucketWriterGrain> log) : Grain, IBucketWriterGrain
{
    private sealed record Chunk(BucketAppend Rows, long ReceivedTimestamp);

    private readonly Dictionary<string, Chunk> _waiting = new(StringComparer.Ordinal);
    private readonly Dictionary<long, (Dictionary<string, Chunk> Writes, long SealedTimestamp, FileStoreTable Table)> _sealed = [];
    private object?[]? _partition;
    private long? _nextSequence;
    private int _bucket;
    private Task _compaction = Task.CompletedTask;
    private int? _knownRuns; // an upper bound on the bucket's sorted runs (see StallWhileTooManyRunsAsync); null: unknown

    private string Key => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _bucket = int.Parse(Key.AsSpan(Key.LastIndexOf("bucket-", StringComparison.Ordinal) + 7), System.Globalization.CultureInfo.InvariantCulture);
        runtime.TrackWrites(GrainKeys.TableOf(Key));
        return Task.CompletedTask;
    }

    public Task AppendAsync(BucketAppend append)
    {
        DropAbandoned();
        _partition ??= append.Partition;
        // A resent append (the caller retried) replaces the first: same write id, same rows.
        _waiting[append.WriteId] = new Chunk(append, runtime.Time.GetTimestamp());
        return Task.CompletedTask;
    }

    public async Task<SealReply> SealAsync(long batch, string[] writeIds)
    {
        // One batch, one schema. Table grains route with their silo's cached schema, so after an alter or a rescale
        // made elsewhere chunks may carry different ones: the newest wins (this silo's cache is reloaded if older),
        // and chunks routed with any other are refused, so no row is written for a bucket count it was not hashed for.
        var tableName = GrainKeys.TableOf(Key);
        var table = await runtime.GetTableAsync(tableName).ConfigureAwait(true);
        long newest = writeIds.Select(id => _waiting.TryGetValue(id, out var c) ? c.Rows.SchemaId : 0).DefaultIfEmpty(0).Max();
        if (newest > table.Schema.Id)
        {
            runtime.Forget(tableName);
            table = await runtime.GetTableAsync(tableName).ConfigureAwait(true);
        }
        DropAbandoned();
        var claimed = new Dictionary<string, Chunk>(StringComparer.Ordinal);
        var missing = new List<string>();
        var stale = new List<string>();
        foreach (var id in writeIds)
        {
            if (!_waiting.Remove(id, out var chunk)) missing.Add(id);
            else if (chunk.Rows.SchemaId != table.Schema.Id) stale.Add(id);
            else claimed[id] = chunk;
        }
        _sealed[batch] = (claimed, runtime.Time.GetTimestamp(), table);
        if (missing.Count > 0)
            log.LogWarning("Bucket writer {Bucket} does not hold {Missing} of {Writes} writes of batch {Batch} (activated after they were sent?)",
                Key, missing.Count, writeIds.Length, batch);
        if (stale.Count > 0)
            log.LogInformation("Bucket writer {Bucket} refused {Stale} writes of batch {Batch} routed with another schema than {SchemaId}; they are routed again",
                Key, stale.Count, batch, table.Schema.Id);
        return new SealReply([.. missing], [.. stale]);
    }

    public async Task<byte[]> FlushAsync(long batch, string[] writeIds, bool reloadSequence)
    {
        if (!_sealed.TryGetValue(batch, out var claimed))
            throw new WriteNotCommittedException($"Bucket writer {Key} holds no rows of batch {batch}: it was restarted after sealing them (e.g. its silo failed).");
        var table = claimed.Table; // the schema the claimed rows were routed with
        // The bucket's committed files are listed at most once per flush, and only when needed: to restart the
        // sequence counter, or to check the stop trigger when the runs known so far come close to it.
        List<DataFileMeta>? committed = null;
        async Task<List<DataFileMeta>> Committed() => committed ??= await CommittedFilesAsync(table).ConfigureAwait(true);
        if (_nextSequence is null || reloadSequence)
            _nextSequence = Math.Max(_nextSequence ?? 0, (await Committed().ConfigureAwait(true)).Select(f => f.MaxSequence).DefaultIfEmpty(-1).Max() + 1);

        await StallWhileTooManyRunsAsync(table, Committed).ConfigureAwait(true);

        var files = new DataFileWriter(table.Store, table.Paths, table.Schema, table.Time);
        var writer = new BucketWriter(files, table.Schema, _partition!, _bucket, _nextSequence.Value, await PreviousValuesAsync(table).ConfigureAwait(true));
        foreach (var id in writeIds)
        {
            if (!claimed.Writes.TryGetValue(id, out var chunk))
                throw new WriteNotCommittedException($"Bucket writer {Key} holds no rows of write {id} in batch {batch}.");
            var (kinds, rows) = (chunk.Rows.Rows.Kinds, chunk.Rows.Rows.Rows);
            for (int i = 0; i < rows.Length; i++)
            {
                writer.Write(RowKindExtensions.FromByte(kinds[i]), rows[i]);
                if (writer.IsFull) await writer.FlushAsync().ConfigureAwait(true);
            }
        }
        var message = await writer.PrepareCommitAsync().ConfigureAwait(true);
        _nextSequence = writer.NextSequence;
        // Each level-0 file is a run of its own (a flush that rolled files adds several).
        if (_knownRuns is { } known) _knownRuns = known + SortedRun.Of(message.NewFiles).Count;
        return CommitMessageCodec.Serialize(message);
    }

    public Task ReleaseAsync(long batch)
    {
        _sealed.Remove(batch);
        StartCompaction();
        return Task.CompletedTask;
    }

    /// <summary>Starts a background compaction of this bucket unless one is running; the triggers decide whether there is work.</summary>
    private void StartCompaction()
    {
        if (!_compaction.IsCompleted || _partition is null) return;
        var key = (PartitionKey.Of(_partition), _bucket);
        var tableName = GrainKeys.TableOf(Key);
        // Off the grain's scheduler: decoding and encoding files is CPU work that must not hold up appends.
        _compaction = BackgroundCompaction.Start(runtime, tableName, key, Key, log);
    }

    /// <summary>
    /// Back-pressure: a bucket at the stop trigger waits for its compaction before it takes another run. Only this
    /// grain adds runs to its bucket (one per flush) and compactions only remove them, so the count from the last
    /// listing plus the flushes since is an upper bound: the bucket is listed only when that bound nears the trigger.
    /// </summary>
    private async Task StallWhileTooManyRunsAsync(FileStoreTable table, Func<Task<List<DataFileMeta>>> committed)
    {
        var options = table.Schema.CoreOptions;
        if (options.WriteOnly) return;
        if (_knownRuns is { } bound && bound + 1 < options.StopTrigger) return;
        int runs = SortedRun.Of(await committed().ConfigureAwait(true)).Count;
        _knownRuns = runs;
        ServiceMetrics.SortedRuns.Record(runs, ServiceMetrics.Table(table.Identifier.FullName));
        if (runs < options.StopTrigger) return;
        StartCompaction();
        TableStore.Core.Diagnostics.TableStoreMetrics.WriteStalls.Add(1, ServiceMetrics.Table(table.Identifier.FullName));
        log.LogInformation("Bucket {Bucket} has {Runs} sorted runs (stop trigger {StopTrigger}): the flush waits for compaction", Key, runs, options.StopTrigger);
        await Task.WhenAny(_compaction, Task.Delay(runtime.Options.CompactionStallTimeout)).ConfigureAwait(true);
    }

    public Task DiscardAsync(string writeId)
    {
        _waiting.Remove(writeId);
        return Task.CompletedTask;
    }

    /// <summary>
    /// For the lookup changelog producer: keys' values at the latest snapshot. The commit grain commits this batch
    /// next, and any other commit to this bucket meanwhile makes it a sequence conflict (flushed again).
    /// </summary>
    private async Task<PreviousValueLookup?> PreviousValuesAsync(FileStoreTable table)
    {
        if (table.Schema.CoreOptions.ChangelogProducer != ChangelogProducer.Lookup || table.Schema.Kind != TableKind.PrimaryKey) return null;
        if (await table.Snapshots.LatestAsync().ConfigureAwait(true) is not { } snapshot) return (_, _) => Task.FromResult<object?[]?>(null);
        var lookup = new Core.Lookup.BucketLookup(table, _partition!, _bucket, runtime.LookupCache);
        return (key, ct) => lookup.LookupAsync(snapshot, key, ct);
    }

    /// <summary>This bucket's live files in the latest snapshot.</summary>
    private async Task<List<DataFileMeta>> CommittedFilesAsync(FileStoreTable table)
    {
        var latest = await table.Snapshots.LatestAsync().ConfigureAwait(true);
        if (latest is null) return [];
        var partition = PartitionKey.Of(_partition!);
        return (await table.Manifests.ReadLiveFilesAsync(latest.BaseManifestList).ConfigureAwait(true))
            .Where(e => e.Bucket == _bucket && PartitionKey.Of(e.Partition).Equals(partition)).Select(e => e.File).ToList();
    }

    /// <summary>
    /// Forgets rows of writes whose table grain never completed them (it failed mid-write), and batches whose commit
    /// grain never released them (it failed mid-commit): nobody will ever ask for them.
    /// </summary>
    private void DropAbandoned()
    {
        var timeout = runtime.Options.AbandonedWriteTimeout;
        foreach (var (id, chunk) in _waiting)
            if (runtime.Time.GetElapsedTime(chunk.ReceivedTimestamp) > timeout) _waiting.Remove(id);
        foreach (var (batch, s) in _sealed)
            if (runtime.Time.GetElapsedTime(s.SealedTimestamp) > timeout) _sealed.Remove(batch);
    }
}
