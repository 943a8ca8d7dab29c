using Microsoft.Extensions.Logging;

namespace TableStore.Grains.Ingest;

/// <summary>
/// Keeps the stored ingestion jobs running: every <see cref="TableStoreOptions.IngestJobCheckInterval"/>, each silo
/// asks every job's grain to run. A job whose silo died is activated again on a live one by the next ask; several
/// silos asking at once is harmless (one activation per job, and the table fences a second writer of its offsets).
/// </summary>
internal sealed class IngestJobKeeper(TableStoreRuntime runtime, IGrainFactory grains, ILogger<IngestJobKeeper> log) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(IngestJobKeeper), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private Task StartAsync(CancellationToken ct)
    {
        _loop = Task.Run(() => LoopAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken ct)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null) await _loop.ConfigureAwait(false);
    }

    public void Dispose() => _stop.Dispose();

    private async Task LoopAsync(CancellationToken ct)
    {
        var interval = runtime.Options.IngestJobCheckInterval;
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                foreach (var name in await IngestJobStore.ListNamesAsync(runtime.Store, ct).ConfigureAwait(false))
                {
                    try { await grains.GetGrain<IIngestJobGrain>(name).EnsureRunningAsync().WaitAsync(interval, ct).ConfigureAwait(false); }
                    catch (Exception e) when (e is not OperationCanceledException) { log.IngestJobCheckFailed(e, name); }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception e) { log.IngestJobListFailed(e); }
        }
        while (await WaitAsync(timer, ct).ConfigureAwait(false));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try { return await timer.WaitForNextTickAsync(ct).ConfigureAwait(false); }
        catch (OperationCanceledException) { return false; }
    }
}
