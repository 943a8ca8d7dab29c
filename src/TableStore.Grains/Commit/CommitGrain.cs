using System.Globalization;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Streams;
using TableStore.Abstractions;
using TableStore.Core;
using TableStore.Core.Commit;
using TableStore.Core.Serialization;
using TableStore.Core.Streaming;
using TableStore.Core.Table;
using TableStore.Grains.Diagnostics;
using TableStore.Grains.Maintenance;
using TableStore.Grains.Write;

namespace TableStore.Grains.Commit;

/// <summary>
/// Group commit for one table. Completed writes join the open batch; the batch commits when it is
/// <see cref="TableStoreOptions.CommitInterval"/> old or <see cref="TableStoreOptions.CommitMaxBufferedBytes"/> big,
/// one batch at a time, so sequence numbers and snapshot ids grow together. A batch commits in three steps:
/// <list type="number">
/// <item>seal: every bucket writer claims the batch's rows and reports writes it lost (its silo failed); those
/// writes fail, the rest go on;</item>
/// <item>flush: the bucket writers write level-0 files;</item>
/// <item>commit: one snapshot through the core protocol, carrying the batch's write ids (retries recognised later).</item>
/// </list>
/// Reentrant: writes keep joining the next batch while one commits. All state is touched on the grain's own
/// scheduler, so interleaving happens only at awaits.
/// </summary>
[Reentrant]
internal sealed class CommitGrain(TableStoreRuntime runtime, ILogger<CommitGrain> log) : Grain, ICommitGrain
{
    private readonly Dictionary<string, PendingWrite> _inFlight = new(StringComparer.Ordinal);
    private FileStoreTable _table = null!;
    private FileStoreCommit _commit = null!;
    private string _commitUser = null!;
    private CommittedWrites _committed = null!;
    private CommitBatch? _open;
    private Task _running = Task.CompletedTask;
    private bool _committing;
    private bool _flushRequested;
    private IGrainTimer? _timer;
    private long _lastBatchId;
    private long? _latest;
    private string? _closedReason;
    private MaintenanceSchedule _maintenance = null!;
    private Task _published = Task.CompletedTask;
    private IAsyncStream<ChangeEvent>? _stream;
    private bool _streamDisabled;

    private string TableName => this.GetPrimaryKeyString();
    private TableStoreOptions Options => runtime.Options;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _table = await runtime.GetTableAsync(TableName).ConfigureAwait(true);
        // A fresh committer identity per activation: the core protocol's idempotence is per (user, identifier).
        _commitUser = "service-" + Guid.NewGuid().ToString("N")[..12];
        _commit = _table.NewCommit(_commitUser);
        _committed = await CommittedWrites.LoadAsync(_table, Options.WriteDeduplicationSnapshots, cancellationToken).ConfigureAwait(true);
        _latest = await _table.Snapshots.LatestIdAsync(cancellationToken).ConfigureAwait(true);
        runtime.TrackWrites(TableName);
        _maintenance = new MaintenanceSchedule(runtime.Time, log);
        this.RegisterGrainTimer(async _ =>
        {
            try { _maintenance.Tick(await runtime.GetExistingTableAsync(TableName).ConfigureAwait(true)); }
            catch (TableNotFoundException) { }
        }, new GrainTimerCreationOptions(Options.MaintenanceCheckInterval, Options.MaintenanceCheckInterval) { Interleave = true });
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Writes accepted here are committed before the grain goes (shutdown, rebalancing); only a crash loses them,
        // and then they were never acknowledged.
        if (_open is { IsEmpty: false } || _committing)
        {
            log.LogInformation("Committing the writes waiting for {Table} before deactivating ({Reason})", TableName, reason.Description);
            await FlushAsync().WaitAsync(cancellationToken).ConfigureAwait(true);
        }
    }

    public async Task<WriteResult> CompleteAsync(WriteTicket ticket)
    {
        if (_closedReason is not null)
            throw new WriteNotCommittedException($"Write {ticket.WriteId} to {TableName} was not committed: {_closedReason}").WithRetryable(false); // dropped
        if (_committed.TryGet(ticket.WriteId, out var done)) return new WriteResult(done, AlreadyCommitted: true, ticket.Rows);
        // The same write sent again while the first is still committing (a client retry after a timeout): its rows
        // are the same, so the answer is the first one's.
        if (_inFlight.TryGetValue(ticket.WriteId, out var first)) return await first.Result.Task.ConfigureAwait(true);

        var pending = new PendingWrite(ticket);
        _inFlight[ticket.WriteId] = pending;
        (_open ??= new CommitBatch(runtime.Time.GetTimestamp())).Add(pending);
        Schedule();
        return await pending.Result.Task.ConfigureAwait(true);
    }

    public async Task FlushAsync()
    {
        var waiting = _inFlight.Values.Select(p => p.Result.Task).ToList();
        if (waiting.Count == 0) return;
        _flushRequested = true;
        Schedule();
        // Failures belong to the writers; flushing only waits for the outcome.
        try { await Task.WhenAll(waiting).ConfigureAwait(true); }
        catch (Exception) { }
    }

    public async Task CloseAsync(string reason)
    {
        _closedReason = reason;
        if (_open is { } batch)
        {
            _open = null;
            Fail(batch.Writes, id => new WriteNotCommittedException($"Write {id} to {TableName} was not committed: {reason}").WithRetryable(false));
        }
        // A batch already committing finishes first, so the caller (a drop) never deletes under a commit in flight.
        try { await _running.ConfigureAwait(true); }
        catch (Exception) { }
        DeactivateOnIdle();
    }

    /// <summary>Starts the next commit when the open batch is due, or arms a timer for when it will be.</summary>
    private void Schedule()
    {
        if (_committing || _open is not { IsEmpty: false } batch) return;
        var wait = Options.CommitInterval - runtime.Time.GetElapsedTime(batch.OpenedTimestamp);
        if (_flushRequested || batch.Bytes >= Options.CommitMaxBufferedBytes || wait <= TimeSpan.Zero)
        {
            _timer?.Dispose();
            _timer = null;
            _running = RunAsync();
        }
        else
        {
            _timer ??= this.RegisterGrainTimer(_ =>
            {
                _timer?.Dispose();
                _timer = null;
                Schedule();
                return Task.CompletedTask;
            }, new GrainTimerCreationOptions(wait, Timeout.InfiniteTimeSpan) { Interleave = true });
        }
    }

    private async Task RunAsync()
    {
        _committing = true;
        try
        {
            while (_open is { IsEmpty: false } batch
                   && (_flushRequested || batch.Bytes >= Options.CommitMaxBufferedBytes
                       || runtime.Time.GetElapsedTime(batch.OpenedTimestamp) >= Options.CommitInterval))
            {
                _open = null;
                _flushRequested = false;
                await CommitBatchAsync(batch).ConfigureAwait(true);
            }
        }
        finally
        {
            _committing = false;
        }
        Schedule();
    }

    private async Task CommitBatchAsync(CommitBatch batch)
    {
        var started = runtime.Time.GetTimestamp();
        long batchId = _lastBatchId = Math.Max(_lastBatchId + 1, runtime.Time.GetUtcNow().UtcTicks);
        var touched = batch.Writes.SelectMany(w => w.Ticket.Buckets).Distinct(StringComparer.Ordinal).ToList();
        try
        {
            TableStore.Core.Table.FileStoreTable table;
            try { table = await runtime.GetExistingTableAsync(TableName).ConfigureAwait(true); }
            catch (TableNotFoundException)
            {
                // Dropped meanwhile: not retryable, so not WriteNotCommittedException.
                Fail(batch.Writes, _ => new TableNotFoundException(TableName, runtime.Store.Location));
                return;
            }
            if (!ReferenceEquals(table, _table)) (_table, _commit) = (table, table.NewCommit(_commitUser));
            var ok = await SealAsync(batch.Writes, batchId).ConfigureAwait(true);
            if (ok.Count > 0) await FlushAndCommitAsync(ok, batchId).ConfigureAwait(true);
        }
        catch (Exception e)
        {
            // A bug or an unexpected failure: the writes still get an answer instead of hanging.
            log.LogError(e, "Group commit of {Table} failed unexpectedly", TableName);
            Fail(batch.Writes.Where(w => !w.Result.Task.IsCompleted), id => Unknown(id, e));
        }
        finally
        {
            foreach (var w in batch.Writes) ForgetInFlight(w);
            foreach (var b in touched) _ = Bucket(b).ReleaseAsync(batchId);
            ServiceMetrics.BatchWrites.Record(batch.Writes.Count, ServiceMetrics.Table(TableName));
            ServiceMetrics.BatchDuration.Record(runtime.Time.GetElapsedTime(started).TotalMilliseconds, ServiceMetrics.Table(TableName));
        }
    }

    /// <summary>Claims the batch's rows in every bucket; fails the writes whose rows some bucket writer lost.</summary>
    private async Task<List<PendingWrite>> SealAsync(List<PendingWrite> writes, long batchId)
    {
        var lost = new Dictionary<string, string>(StringComparer.Ordinal);
        var seals = await Task.WhenAll(ByBucket(writes).Select(async kv =>
        {
            var ids = kv.Value.Select(w => w.Ticket.WriteId).ToArray();
            try { return (Bucket: kv.Key, Reply: await Bucket(kv.Key).SealAsync(batchId, ids).ConfigureAwait(true), Error: (Exception?)null); }
            catch (Exception e) { return (Bucket: kv.Key, Reply: new SealReply(ids, []), Error: e); }
        })).ConfigureAwait(true);
        foreach (var (bucket, reply, error) in seals)
        {
            foreach (var id in reply.Missing)
                lost.TryAdd(id, error is null
                    ? $"its rows for {bucket} were lost before the commit (that bucket writer restarted, e.g. its silo failed)"
                    : $"the bucket writer {bucket} could not be reached ({ErrorText.Summary(error)})");
            foreach (var id in reply.Stale)
                lost.TryAdd(id, $"its rows for {bucket} were routed with an older schema of the table (altered or rescaled meanwhile)");
        }
        var failed = writes.Where(w => lost.ContainsKey(w.Ticket.WriteId)).ToList();
        Fail(failed, id => new WriteNotCommittedException($"Write {id} to {TableName} was not committed: {lost[id]}. Nothing of it is visible; retry it."));
        return writes.Where(w => !lost.ContainsKey(w.Ticket.WriteId)).ToList();
    }

    private async Task FlushAndCommitAsync(List<PendingWrite> writes, long batchId)
    {
        var byBucket = ByBucket(writes);
        var ids = writes.Select(w => w.Ticket.WriteId).ToArray();
        bool reload = false;
        for (int attempt = 1; ; attempt++)
        {
            var flushes = await Task.WhenAll(byBucket.Select(async kv =>
            {
                try
                {
                    var bytes = await Bucket(kv.Key).FlushAsync(batchId, kv.Value.Select(w => w.Ticket.WriteId).ToArray(), reload).ConfigureAwait(true);
                    return (Bucket: kv.Key, Message: CommitMessageCodec.Deserialize(bytes, _table.Schema, _table.Schemas), Error: (Exception?)null);
                }
                catch (Exception e) { return (Bucket: kv.Key, Message: (CommitMessage?)null, Error: e); }
            })).ConfigureAwait(true);
            var messages = flushes.Where(f => f.Message is not null).Select(f => f.Message!).ToList();
            if (messages.Any(m => m.NewFiles.Count > 0 && m.TotalBuckets != _table.Schema.BucketCount))
            {
                // The writers routed for another bucket count than this grain's schema: a rescale happened and one of
                // the cached schemas is stale. Read the schema again before judging the batch.
                runtime.Forget(TableName);
                var fresh = await runtime.GetExistingTableAsync(TableName).ConfigureAwait(true);
                (_table, _commit) = (fresh, fresh.NewCommit(_commitUser));
            }
            if (flushes.FirstOrDefault(f => f.Error is not null) is { Error: { } error } failedFlush)
            {
                await AbortAsync(messages).ConfigureAwait(true);
                Fail(writes, id => new WriteNotCommittedException(
                    $"Write {id} to {TableName} was not committed: bucket writer {failedFlush.Bucket} could not write its files ({ErrorText.Summary(error)}). Nothing of it is visible; retry it.", error));
                return;
            }
            try
            {
                var request = new CommitRequest(messages.Where(m => !m.IsEmpty).ToList(), batchId)
                {
                    BaseSnapshotId = _latest ?? 0,
                    Properties = new Dictionary<string, string> { [WriteIds.SnapshotProperty] = WriteIds.Encode(ids) },
                };
                var result = await _commit.CommitAsync(request).ConfigureAwait(true);
                _latest = result.SnapshotId;
                _committed.Add(result.SnapshotId, ids);
                var table = ServiceMetrics.Table(TableName);
                ServiceMetrics.Writes.Add(writes.Count, table);
                ServiceMetrics.Rows.Add(writes.Sum(w => (long)w.Ticket.Rows), table);
                foreach (var w in writes) w.Result.TrySetResult(new WriteResult(result.SnapshotId, AlreadyCommitted: false, w.Ticket.Rows));
                _published = PublishAsync(result.SnapshotId, _published);
                return;
            }
            catch (SequenceConflictException e) when (attempt < _table.Schema.CoreOptions.CommitMaxRetries)
            {
                // Another writer (outside this service) committed to one of our buckets: rewrite above its sequence numbers.
                log.LogInformation("Batch {Batch} of {Table} is rewritten: {Reason}", batchId, TableName, e.Message);
                await AbortAsync(messages).ConfigureAwait(true);
                reload = true;
            }
            catch (Exception e) when (e is SequenceConflictException or CommitConflictException or InvalidInputException)
            {
                await AbortAsync(messages).ConfigureAwait(true);
                Fail(writes, id => new WriteNotCommittedException($"Write {id} to {TableName} was not committed: {e.Message}", e));
                return;
            }
            catch (Exception e)
            {
                // The snapshot put may have happened: its files must stay, and only a retry can tell.
                log.LogWarning(e, "Commit of batch {Batch} of {Table} failed with an unknown outcome", batchId, TableName);
                Fail(writes, id => Unknown(id, e));
                return;
            }
        }
    }

    /// <summary>
    /// Publishes a committed snapshot's changes on the table's stream, after the previous one (so in snapshot order).
    /// Best effort: a lost event is a gap that subscribers fill from the lake.
    /// </summary>
    private async Task PublishAsync(long snapshotId, Task previous)
    {
        await previous.ConfigureAwait(true); // never faults: failures are logged below
        if (_streamDisabled || string.IsNullOrEmpty(Options.StreamProvider)) return;
        if (_stream is null)
        {
            try { _stream = this.GetStreamProvider(Options.StreamProvider).GetStream<ChangeEvent>(StreamId.Create(ChangeStreams.Namespace, TableName)); }
            catch (Exception e)
            {
                _streamDisabled = true;
                log.LogWarning(e, "Stream provider {Provider} is not available on this silo: changes of {Table} are not published (subscribers read them from the lake)", Options.StreamProvider, TableName);
                return;
            }
        }
        try
        {
            var table = _table;
            var snapshot = await table.Snapshots.GetAsync(snapshotId).ConfigureAwait(true);
            var batch = await new SnapshotChanges(table).ReadAsync(snapshot).ConfigureAwait(true);
            await _stream.OnNextAsync(ChangeEvent.From(TableName, batch)).ConfigureAwait(true);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Publishing snapshot {SnapshotId} of {Table} failed; subscribers catch up from the lake", snapshotId, TableName);
        }
    }

    private WriteOutcomeUnknownException Unknown(string id, Exception e) => new(
        $"Write {id} to {TableName} may or may not have been committed ({ErrorText.Summary(e)}). Retry it with the same write id: if it was committed, the retry says so and writes nothing again.", e);

    /// <summary>Deletes files of a batch that is certainly not committed.</summary>
    private async Task AbortAsync(IEnumerable<CommitMessage> messages)
    {
        foreach (var m in messages)
            foreach (var f in m.NewFiles.Concat(m.ChangelogFiles))
            {
                var path = _table.Paths.DataFile(_table.Schema.PartitionKeys, m.Partition, m.Bucket, f.FileName);
                try { await _table.Store.DeleteAsync(path).ConfigureAwait(true); }
                catch (IOException e) { log.LogDebug(e, "Could not delete orphan {Path}; orphan cleanup will", path); }
            }
    }

    private void Fail(IEnumerable<PendingWrite> writes, Func<string, Exception> error)
    {
        foreach (var w in writes)
        {
            // At once, not when the batch ends: the write may be sent again (routed anew) while the rest commits.
            ForgetInFlight(w);
            if (w.Result.TrySetException(error(w.Ticket.WriteId)))
                ServiceMetrics.WritesFailed.Add(1, ServiceMetrics.Table(TableName));
        }
    }

    /// <summary>Forgets this pending write, not a later one sent under the same write id.</summary>
    private void ForgetInFlight(PendingWrite w)
    {
        if (_inFlight.TryGetValue(w.Ticket.WriteId, out var current) && ReferenceEquals(current, w)) _inFlight.Remove(w.Ticket.WriteId);
    }

    private static Dictionary<string, List<PendingWrite>> ByBucket(IEnumerable<PendingWrite> writes)
    {
        var result = new Dictionary<string, List<PendingWrite>>(StringComparer.Ordinal);
        foreach (var w in writes)
            foreach (var b in w.Ticket.Buckets)
            {
                if (!result.TryGetValue(b, out var list)) result[b] = list = [];
                list.Add(w);
            }
        return result;
    }

    private IBucketWriterGrain Bucket(string key) => GrainFactory.GetGrain<IBucketWriterGrain>(key);
}
