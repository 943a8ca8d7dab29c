using Microsoft.Extensions.Logging;
using TableStore.Core.Table;

namespace TableStore.Core.Commit.GroupCommit;

/// <summary>
/// Group commit for one table: completed writes join the open batch, and the batch commits as one snapshot when it
/// is <see cref="GroupCommitOptions.CommitInterval"/> old or <see cref="GroupCommitOptions.MaxBufferedBytes"/> big,
/// one batch at a time, so sequence numbers and snapshot ids grow together. Each write is answered with its snapshot,
/// or fails with nothing of it visible (<see cref="WriteNotCommittedException"/>), or with an unknown outcome
/// (<see cref="WriteOutcomeUnknownException"/>) when the snapshot put itself failed. How a batch commits:
/// <c>GroupCommitter.Batch.cs</c>.
/// </summary>
/// <remarks>
/// Not thread-safe: the host calls it from one logical thread (the service's commit grain is its only caller, on
/// the grain's scheduler), and interleaving happens only at awaits; wake-ups come back through the same host
/// (<c>wakeAfter</c>). So every await resumes on the caller's context (<c>ConfigureAwait(true)</c>), unlike the rest
/// of Core. Writes keep joining the next batch while one commits.
/// </remarks>
public sealed partial class GroupCommitter
{
    private readonly Dictionary<string, PendingWrite> _inFlight = new(StringComparer.Ordinal);
    private readonly string _tableName;
    private readonly Func<bool, Task<FileStoreTable>> _tables;
    private readonly IBucketWriters _buckets;
    private readonly GroupCommitOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<TimeSpan, Action, IDisposable> _wakeAfter;
    private readonly ILogger _log;
    private readonly CommittedWrites _committed;
    private OpenBatch? _open;
    private Task _running = Task.CompletedTask;
    private bool _committing;
    private bool _flushRequested;
    private IDisposable? _wakeUp;
    private string? _closedReason;

    private GroupCommitter(string tableName, FileStoreTable table, Func<bool, Task<FileStoreTable>> tables, IBucketWriters buckets,
        GroupCommitOptions options, TimeProvider time, Func<TimeSpan, Action, IDisposable> wakeAfter, ILogger log, CommittedWrites committed, long? latest)
    {
        (_tableName, _tables, _buckets, _options, _time, _wakeAfter, _log, _committed, _latest) = (tableName, tables, buckets, options, time, wakeAfter, log, committed, latest);
        // A fresh committer identity per instance: the core protocol's idempotence is per (user, identifier).
        _commitUser = "service-" + Guid.NewGuid().ToString("N")[..12];
        (_table, _commit) = (table, table.NewCommit(_commitUser));
    }

    /// <param name="tables">The table at its latest schema (true: check the schema now, a cached one may be stale); throws <see cref="TableNotFoundException"/> once dropped.</param>
    /// <param name="wakeAfter">Calls back on the host's thread after a delay (a grain timer); disposing cancels it.</param>
    public static async Task<GroupCommitter> CreateAsync(string tableName, Func<bool, Task<FileStoreTable>> tables, IBucketWriters buckets,
        GroupCommitOptions options, TimeProvider time, Func<TimeSpan, Action, IDisposable> wakeAfter, ILogger log, CancellationToken ct = default)
    {
        var table = await tables(false).ConfigureAwait(false);
        var latest = await table.Snapshots.LatestIdAsync(ct).ConfigureAwait(false);
        var committed = await CommittedWrites.LoadAsync(table, latest, options.DeduplicationSnapshots, ct).ConfigureAwait(false);
        return new GroupCommitter(tableName, table, tables, buckets, options, time, wakeAfter, log, committed, latest);
    }

    /// <summary>A batch committed: its snapshot id and the table it was committed with (e.g. to publish its changes).</summary>
    public event Action<long, FileStoreTable>? Committed;

    /// <summary>
    /// Positions to record in each snapshot's <see cref="Manifest.Snapshot.LogOffsets"/>, asked for as the commit is
    /// made (where the table's changes are published: a hybrid reader starts there); null or empty: none new.
    /// </summary>
    public Func<IReadOnlyDictionary<string, string>?>? LogPositions { get; set; }

    /// <summary>A batch ended, committed or not (for metrics).</summary>
    public event Action<GroupCommitStats>? BatchEnded;

    /// <summary>Writes are waiting or committing.</summary>
    public bool IsBusy => _open is not null || _committing;

    /// <summary>
    /// The snapshot that committed this write: among the recent ones remembered (see
    /// <see cref="GroupCommitOptions.DeduplicationSnapshots"/>), else, given the time the write was first sent, among
    /// the snapshots committed since then.
    /// </summary>
    public async Task<long?> FindCommittedAsync(string writeId, long? notBeforeMillis)
    {
        if (_committed.TryGet(writeId, out var done)) return done;
        if (notBeforeMillis is not { } since || since > _committed.ForgottenUpToMillis) return null;
        return await CommittedWrites.FindSinceAsync(_table, writeId, since).ConfigureAwait(true);
    }

    /// <summary>Completes when the write is in a committed snapshot; see the class for how it fails.</summary>
    public Task<GroupCommitResult> CompleteAsync(GroupCommitWrite write)
    {
        if (_closedReason is not null)
            return Task.FromException<GroupCommitResult>(new WriteNotCommittedException($"Write {write.WriteId} to {_tableName} was not committed: {_closedReason}").WithRetryable(false));
        if (_committed.TryGet(write.WriteId, out var done)) return Task.FromResult(new GroupCommitResult(done, AlreadyCommitted: true, write.Rows));
        // The same write sent again while the first is still committing (a client retry after a timeout): its rows
        // are the same, so the answer is the first one's.
        if (_inFlight.TryGetValue(write.WriteId, out var first)) return first.Result.Task;
        // A retry from before what is remembered: its first attempt may have committed in a snapshot forgotten since.
        if (write.NotBeforeMillis is { } since && since <= _committed.ForgottenUpToMillis) return CompleteRetryAsync(write);
        var pending = new PendingWrite(write);
        _inFlight[write.WriteId] = pending;
        (_open ??= new OpenBatch(_time.GetTimestamp())).Add(pending);
        Schedule();
        return pending.Result.Task;
    }

    private async Task<GroupCommitResult> CompleteRetryAsync(GroupCommitWrite write)
    {
        if (await FindCommittedAsync(write.WriteId, write.NotBeforeMillis).ConfigureAwait(true) is { } done)
        {
            _log.RetryFoundCommitted(write.WriteId, _tableName, done);
            return new GroupCommitResult(done, AlreadyCommitted: true, write.Rows);
        }
        // Not committed before: commit it now (checking the in-flight and remembered writes again, they moved meanwhile).
        return await CompleteAsync(write with { NotBeforeMillis = null }).ConfigureAwait(true);
    }

    /// <summary>Commits what is waiting now, without waiting for the interval; completes when it is committed (or failed).</summary>
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

    /// <summary>The table is gone: waiting writes fail with <paramref name="reason"/>, later ones too; a batch already committing finishes first.</summary>
    public async Task CloseAsync(string reason)
    {
        _closedReason = reason;
        if (_open is { } batch)
        {
            _open = null;
            Fail(batch.Writes, id => new WriteNotCommittedException($"Write {id} to {_tableName} was not committed: {reason}").WithRetryable(false));
            BatchEnded?.Invoke(GroupCommitStats.Of(batch.Writes, TimeSpan.Zero));
        }
        // So the caller (a drop) never deletes under a commit in flight.
        try { await _running.ConfigureAwait(true); }
        catch (Exception) { }
    }

    /// <summary>Starts the next commit when the open batch is due, or asks the host to wake it when it will be.</summary>
    private void Schedule()
    {
        if (_committing || _open is not { } batch) return;
        var wait = _options.CommitInterval - _time.GetElapsedTime(batch.OpenedTimestamp);
        if (IsDue(batch))
        {
            _wakeUp?.Dispose();
            _wakeUp = null;
            _running = RunAsync();
        }
        else
        {
            _wakeUp ??= _wakeAfter(wait, () =>
            {
                _wakeUp?.Dispose();
                _wakeUp = null;
                Schedule();
            });
        }
    }

    private bool IsDue(OpenBatch batch) =>
        _flushRequested || batch.Bytes >= _options.MaxBufferedBytes || _time.GetElapsedTime(batch.OpenedTimestamp) >= _options.CommitInterval;

    private async Task RunAsync()
    {
        _committing = true;
        try
        {
            while (_open is { } batch && IsDue(batch))
            {
                _open = null;
                _flushRequested = false;
                await CommitBatchAsync(batch.Writes).ConfigureAwait(true);
            }
        }
        finally
        {
            _committing = false;
        }
        Schedule();
    }

    private void Fail(IEnumerable<PendingWrite> writes, Func<string, Exception> error)
    {
        foreach (var w in writes)
        {
            // At once, not when the batch ends: the write may be sent again (routed anew) while the rest commits.
            ForgetInFlight(w);
            w.Result.TrySetException(error(w.Id));
        }
    }

    /// <summary>Forgets this pending write, not a later one sent under the same write id.</summary>
    private void ForgetInFlight(PendingWrite w)
    {
        if (_inFlight.TryGetValue(w.Id, out var current) && ReferenceEquals(current, w)) _inFlight.Remove(w.Id);
    }
}

