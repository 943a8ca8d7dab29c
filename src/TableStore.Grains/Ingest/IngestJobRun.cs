using Microsoft.Extensions.Logging;
using TableStore.Abstractions;
using TableStore.Core;
using TableStore.Ingest.Kafka;

namespace TableStore.Grains.Ingest;

/// <summary>
/// One run of a job: a <see cref="KafkaIngestion"/> on the thread pool (its consume loop blocks on the broker, so it
/// stays off the grain's scheduler), restarted from the table's offsets after errors a retry may get past (brokers
/// down, a store error, another activation that committed first), with a growing pause. Errors that need a person
/// (a malformed event under <c>fail</c>, a dropped table) leave it failed; a topic that does not exist yet is waited for.
/// </summary>
internal sealed class IngestJobRun : IDisposable
{
    private static readonly TimeSpan MaxRetryPause = TimeSpan.FromMinutes(1);

    private readonly TableStoreRuntime _runtime;
    private readonly ILogger _log;
    private readonly string _silo;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly Task _task;
    private IngestJobState _state = IngestJobState.Running;
    private string? _error;
    private IngestProgress? _earlier; // what the attempts before a retry did
    private IngestProgress? _current;

    public IngestJobRun(IngestJobSpec spec, TableStoreRuntime runtime, ILogger log, string silo)
    {
        (Spec, _runtime, _log, _silo) = (spec, runtime, log, silo);
        log.IngestJobStarted(spec.Name, spec.Topic, spec.Table, silo);
        _task = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
    }

    public IngestJobSpec Spec { get; }

    public IngestJobStatus Status()
    {
        lock (_lock)
        {
            var p = Sum(_earlier, _current);
            return new IngestJobStatus(Spec, _state, p?.Messages ?? 0, p?.Rows ?? 0, p?.Tombstones ?? 0, p?.Skipped ?? 0, p?.DeadLettered ?? 0,
                p?.LastSnapshotId, _error, _silo);
        }
    }

    /// <summary>Asks the ingestion to stop and waits for it to commit what it read, at most <paramref name="timeout"/>; false if it is still stopping.</summary>
    public async Task<bool> StopAsync(TimeSpan timeout)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _task.WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            _log.IngestJobStopSlow(Spec.Name, timeout.TotalSeconds);
            return false;
        }
    }

    /// <summary>Cancels the run, if it still goes (an activation disposed without deactivating), and releases the stop signal once it has ended.</summary>
    public void Dispose()
    {
        if (!_task.IsCompleted)
        {
            _stop.Cancel();
            return; // the run still holds the token; it ends on its own
        }
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var pause = TimeSpan.FromSeconds(1);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var table = await _runtime.GetExistingTableAsync(Spec.Table).ConfigureAwait(false);
                SetState(IngestJobState.Running, null);
                await new KafkaIngestion(table, IngestJobOptions.From(Spec), _log).RunAsync(new Reporter(this), ct).ConfigureAwait(false);
                return; // it returns only when asked to stop
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is InvalidInputException or TableNotFoundException)
            {
                SetState(IngestJobState.Failed, e.Message);
                _log.IngestJobFailed(e, Spec.Name);
                return;
            }
            catch (Exception e)
            {
                SetState(IngestJobState.Retrying, e.Message);
                _log.IngestJobRetrying(e, Spec.Name, pause.TotalSeconds);
                lock (_lock) (_earlier, _current) = (Sum(_earlier, _current), null);
                try { await Task.Delay(pause, ct).ConfigureAwait(false); }
                catch (OperationCanceledException) { return; }
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxRetryPause.Ticks));
            }
        }
    }

    private void SetState(IngestJobState state, string? error)
    {
        lock (_lock) (_state, _error) = (state, error);
    }

    private static IngestProgress? Sum(IngestProgress? a, IngestProgress? b) => (a, b) switch
    {
        (null, _) => b,
        (_, null) => a,
        _ => new IngestProgress(a.Messages + b.Messages, a.Rows + b.Rows, a.Tombstones + b.Tombstones, a.Skipped + b.Skipped,
            a.DeadLettered + b.DeadLettered, a.Snapshots + b.Snapshots, b.LastSnapshotId ?? a.LastSnapshotId, b.Positions),
    };

    /// <summary>Takes the ingestion's progress on its own thread.</summary>
    private sealed class Reporter(IngestJobRun owner) : IProgress<IngestProgress>
    {
        public void Report(IngestProgress value)
        {
            lock (owner._lock) owner._current = value;
        }
    }
}
