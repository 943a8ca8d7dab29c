using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Streams;
using TableStore.Abstractions;
using TableStore.Core;
using TableStore.Core.Streaming;

namespace TableStore.Client;

/// <summary>
/// A table's changes delivered to a callback, one <see cref="ChangeBatch"/> per snapshot, in snapshot order, each
/// snapshot id exactly once. Live batches come from the table's Orleans stream; anything before the start, lost
/// by the stream (a silo restart, a full queue) or not published (compactions) is read from the lake by snapshot
/// id, so a gap is filled before anything after it is delivered and a duplicate is dropped.
/// </summary>
public sealed class TableSubscription : IAsyncDisposable
{
    private readonly ITableGrain _table;
    private readonly Func<ChangeBatch, Task> _onBatch;
    private readonly SubscriptionOptions _options;
    private readonly ILogger _log;
    /// <summary>The deadline of each call to the cluster: the subscriber's, else the client's call timeout.</summary>
    private readonly TimeSpan _callTimeout;
    private volatile Exception? _unanswered;
    private readonly SortedDictionary<long, ChangeEvent> _pending = [];
    private readonly ChangeEventAssembler _parts = new(); // guarded by _pending
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private StreamSubscriptionHandle<ChangeEvent>? _handle;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _next;
    private volatile bool _started;

    private TableSubscription(ITableGrain table, Func<ChangeBatch, Task> onBatch, SubscriptionOptions options, TimeSpan callTimeout, ILogger log)
    {
        _table = table;
        _onBatch = onBatch;
        _options = options;
        _callTimeout = callTimeout;
        _log = log;
    }

    /// <summary>The snapshot whose changes come next.</summary>
    public long NextSnapshot => Interlocked.Read(ref _next);

    /// <summary>
    /// Completes when the subscription is disposed; faults (and stops) when the callback fails or a snapshot it needs
    /// has expired, or the table cannot be read (dropped, damaged). Failures to reach the cluster are retried at the
    /// next <see cref="SubscriptionOptions.CatchUpInterval"/>.
    /// </summary>
    public Task Completion => _completion.Task;

    /// <summary>
    /// The error of the last catch-up call, when it failed and none succeeded since (the cluster stopped answering: a
    /// paused or overloaded silo); null while the cluster answers. Calls are tried again every catch-up interval.
    /// </summary>
    public Exception? Unanswered => _unanswered;

    internal static async Task<TableSubscription> StartAsync(IGrainFactory grains, IStreamProvider? streams, string table,
        Func<ChangeBatch, Task> onBatch, SubscriptionOptions options, TimeSpan callTimeout, ILogger? log)
    {
        var grain = grains.GetGrain<ITableGrain>(table);
        var s = new TableSubscription(grain, onBatch, options, options.CallTimeout ?? callTimeout, log ?? NullLogger.Instance);
        Abstractions.StreamPosition position;
        try { position = await s.SubscribeAndResolveStartAsync(streams, table).WaitAsync(s._callTimeout).ConfigureAwait(false); }
        catch (TimeoutException e)
        {
            await s.DisposeAsync().ConfigureAwait(false);
            throw new TableStoreException($"The cluster did not answer within {s._callTimeout.TotalSeconds:0.#} s when asked where a subscription to {table} starts: a silo may be paused or overloaded. Retry once it answers.", e).WithRetryable(true);
        }
        // The start is delivered under the gate, like every other delivery; live events only buffer until then.
        await s._gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (position.Full is { } full) await s.DeliverAsync(full).ConfigureAwait(false);
            s.Advance(position.Next);
            s._started = true;
        }
        finally
        {
            s._gate.Release();
        }
        await s.PumpAsync(checkLake: true).ConfigureAwait(false);
        _ = s.CatchUpLoopAsync(); // ends with the subscription; PumpAsync reports its own failures
        return s;
    }

    /// <summary>
    /// Buffers a live event and leaves the delivery to a pump off the caller's turn: inside a grain, the stream's call
    /// must not wait for a delivery that may itself call into that grain.
    /// </summary>
    private Task OnLiveAsync(ChangeEvent e, StreamSequenceToken? token)
    {
        if (e.ReadFromLake)
        {
            // Too large to publish: read it from the lake now rather than at the next catch-up tick.
            if (_started) _ = Task.Run(() => PumpAsync(checkLake: true));
            return Task.CompletedTask;
        }
        lock (_pending)
        {
            if (_parts.Add(e) is not { } whole) return Task.CompletedTask;
            _pending[whole.SnapshotId] = whole;
        }
        if (_started) _ = Task.Run(() => PumpAsync(checkLake: false));
        return Task.CompletedTask;
    }

    /// <summary>The position only moves forward.</summary>
    private void Advance(long next)
    {
        long current;
        do current = Interlocked.Read(ref _next);
        while (next > current && Interlocked.CompareExchange(ref _next, next, current) != current);
    }

    private async Task CatchUpLoopAsync()
    {
        using var timer = new PeriodicTimer(_options.CatchUpInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
                await PumpAsync(checkLake: true).ConfigureAwait(false);
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Delivers what can be delivered in order: buffered live events, and from the lake what is missing.</summary>
    private async Task PumpAsync(bool checkLake)
    {
        if (_completion.Task.IsCompleted || !_started) return;
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                ChangeEvent? ready = null;
                bool gap;
                lock (_pending)
                {
                    foreach (var stale in _pending.Keys.Where(k => k < _next).ToList()) _pending.Remove(stale);
                    _parts.DropBefore(_next);
                    if (_pending.Remove(_next, out var e)) ready = e;
                    gap = _pending.Count > 0; // something newer arrived: the stream skipped _next
                }
                if (ready is not null)
                {
                    await DeliverAsync(ready).ConfigureAwait(false);
                    continue;
                }
                if (!gap && !checkLake) return;
                ChangeEvent[] events;
                try { events = await _table.ReadChangesAsync(_next, _options.CatchUpBatch).WaitAsync(_callTimeout).ConfigureAwait(false); }
                catch (Exception e) when (e is not TableStoreException && !_stop.IsCancellationRequested)
                {
                    // The cluster is unsettled (a silo died, a call timed out): try again at the next tick. The
                    // table's own errors (dropped, expired, damaged) end the subscription.
                    _log.CatchUpFailed(e, _table.GetPrimaryKeyString(), _next);
                    _unanswered = e;
                    return;
                }
                _unanswered = null;
                foreach (var e in events)
                    if (e.SnapshotId == _next) await DeliverAsync(e).ConfigureAwait(false);
                checkLake = events.Length > 0; // more may be waiting (a reply stops early at its size budget)
                if (events.Length == 0) return;
            }
        }
        catch (Exception e) when (!_stop.IsCancellationRequested)
        {
            _log.SubscriptionStopped(e, _table.GetPrimaryKeyString(), _next);
            _completion.TrySetException(e);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task DeliverAsync(ChangeEvent e)
    {
        if (_stop.IsCancellationRequested) return;
        await _onBatch(e.ToBatch()).ConfigureAwait(false);
        Advance(e.SnapshotId + 1);
        if (_options.ConsumerId is { } consumer && _options.RecordProgress)
        {
            // Progress is advisory (it only moves forward); a failed record is made good by the next batch's.
            try { await _table.SetConsumerAsync(consumer, e.SnapshotId + 1).ConfigureAwait(false); }
            catch (Exception ex) when (ex is not InvalidInputException)
            {
                _log.ConsumerRecordFailed(ex, consumer, _table.GetPrimaryKeyString(), e.SnapshotId + 1);
            }
        }
    }

    /// <summary>
    /// Stops: no batch is delivered after this returns but the one in progress, if any (it is not awaited: inside a
    /// grain, that delivery may be a call to the very grain that is deactivating).
    /// </summary>
    /// <summary>
    /// Subscribes to the table's stream first, then resolves the start: live events that arrive meanwhile wait in the
    /// buffer, so the switch from the lake to the stream has no gap.
    /// </summary>
    private async Task<Abstractions.StreamPosition> SubscribeAndResolveStartAsync(IStreamProvider? streams, string table)
    {
        if (streams is not null && _options.UseStream)
        {
            var stream = streams.GetStream<ChangeEvent>(StreamId.Create(ChangeStreams.Namespace, table));
            // Inside a grain, a subscription outlives the activation (e.g. a silo crash): resume it instead of adding one.
            var existing = await stream.GetAllSubscriptionHandles().ConfigureAwait(false);
            foreach (var extra in existing.Skip(1)) await extra.UnsubscribeAsync().ConfigureAwait(false);
            _handle = existing.Count > 0
                ? await existing[0].ResumeAsync(OnLiveAsync).ConfigureAwait(false)
                : await stream.SubscribeAsync(OnLiveAsync).ConfigureAwait(false);
            // The start missed its deadline and the subscription was disposed meanwhile: do not leave this one behind.
            if (_stop.IsCancellationRequested) await _handle.UnsubscribeAsync().ConfigureAwait(false);
        }
        return await _table.ResolveStreamStartAsync(_options.Start, _options.ConsumerId).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        if (_handle is not null)
        {
            // Bounded: a silo that stopped answering must not hold up the caller's shutdown.
            try { await _handle.UnsubscribeAsync().WaitAsync(_callTimeout).ConfigureAwait(false); }
            catch (Exception e)
            {
                var table = _table.GetPrimaryKeyString();
                _log.UnsubscribeFailed(e, table);
            }
        }
        _completion.TrySetResult();
    }
}
