using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using TableStore.Abstractions;
using TableStore.Core;
using TableStore.Core.Data;
using TableStore.Core.Manifest;
using TableStore.Core.Serialization;
using TableStore.Core.Table;

namespace TableStore.Grains.Write;

/// <summary>
/// Holds a bucket's unflushed rows in memory, per write, and turns a group-commit batch into level-0 files. Its
/// state is deliberately volatile: rows are acknowledged only after the commit, so losing an activation loses only
/// writes that were never acknowledged, and the commit grain notices (<see cref="SealAsync"/> reports them missing).
/// Writing a batch is Core's <see cref="BucketBatchWriter"/> (sequence numbers assigned at flush time, batch after
/// batch, so they grow with the snapshot id; back-pressure at the stop trigger). Reentrant so that rows for the next
/// batch keep arriving while this batch's files are written: the commit grain sends one batch's seal, flush and
/// release at a time, and appends only touch rows no batch has claimed. After each batch the bucket compacts itself
/// in the background (universal compaction, committed as its own COMPACT snapshot by the lock-free commit
/// protocol); a flush into a bucket at the stop trigger waits for that compaction, for at most
/// <see cref="TableStoreOptions.CompactionStallTimeout"/>.
/// </summary>
[Reentrant]
internal sealed class BucketWriterGrain(TableStoreRuntime runtime, ILogger<BucketWriterGrain> log) : Grain, IBucketWriterGrain
{
    private sealed record Chunk(BucketAppend Rows, long ReceivedTimestamp);

    private readonly Dictionary<string, Chunk> _waiting = new(StringComparer.Ordinal);
    private readonly Dictionary<long, (Dictionary<string, Chunk> Writes, long SealedTimestamp, FileStoreTable Table)> _sealed = [];
    private readonly Lock _compactionLock = new(); // the batch writer starts compactions from the thread pool
    private object?[]? _partition;
    private BucketBatchWriter? _writer;
    private int _bucket;
    private Task _compaction = Task.CompletedTask;

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
            log.SealMissingWrites(Key, missing.Count, writeIds.Length, batch);
        if (stale.Count > 0)
            log.SealRefusedStaleWrites(Key, stale.Count, batch, table.Schema.Id);
        return new SealReply([.. missing], [.. stale]);
    }

    public async Task<byte[]> FlushAsync(long batch, string[] writeIds, bool reloadSequence)
    {
        if (!_sealed.TryGetValue(batch, out var claimed))
            throw new WriteNotCommittedException($"Bucket writer {Key} holds no rows of batch {batch}: it was restarted after sealing them (e.g. its silo failed).");
        var table = claimed.Table; // the schema the claimed rows were routed with
        foreach (var id in writeIds)
            if (!claimed.Writes.ContainsKey(id))
                throw new WriteNotCommittedException($"Bucket writer {Key} holds no rows of write {id} in batch {batch}.");
        _writer ??= new BucketBatchWriter(_partition!, _bucket, log);
        var message = await _writer.WriteBatchAsync(table, Rows(table, claimed.Writes, writeIds), reloadSequence, EnsureCompaction,
            runtime.Options.CompactionStallTimeout, runtime.LookupCache).ConfigureAwait(true);
        return CommitMessageCodec.Serialize(message);
    }

    /// <summary>The batch's rows in write order; a staged write's are read from the store as the files are written.</summary>
    private static async IAsyncEnumerable<(RowKind, object?[])> Rows(FileStoreTable table, Dictionary<string, Chunk> writes, string[] writeIds)
    {
        foreach (var id in writeIds)
        {
            var append = writes[id].Rows;
            if (append.Staged is { } staged)
            {
                await foreach (var row in new StagedWrites(table).ReadAsync(staged).ConfigureAwait(true)) yield return row;
                continue;
            }
            var (kinds, rows) = (append.Rows.Kinds, append.Rows.Rows);
            for (int i = 0; i < rows.Length; i++) yield return (RowKindExtensions.FromByte(kinds[i]), rows[i]);
        }
    }

    public Task ReleaseAsync(long batch)
    {
        _sealed.Remove(batch);
        _ = EnsureCompaction(); // in the background; the compaction's own triggers decide whether there is work
        return Task.CompletedTask;
    }

    /// <summary>The running compaction, started if none runs (called after each batch, and by the batch writer at the stop trigger).</summary>
    private Task EnsureCompaction()
    {
        lock (_compactionLock)
        {
            if (!_compaction.IsCompleted || _partition is null) return _compaction;
            var key = (PartitionKey.Of(_partition), _bucket);
            // Off the grain's scheduler: decoding and encoding files is CPU work that must not hold up appends.
            return _compaction = BackgroundCompaction.Start(runtime, GrainKeys.TableOf(Key), key, Key, log);
        }
    }

    public Task DiscardAsync(string writeId)
    {
        _waiting.Remove(writeId);
        return Task.CompletedTask;
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
