using Microsoft.Extensions.Logging;
using TableStore.Grains.Commit;

namespace TableStore.Grains.Hosting;

/// <summary>
/// On a graceful stop (SIGTERM), before any grain is deactivated, commits every table that has writes buffered on
/// this silo: writes the silo accepted are committed rather than failed. Runs while the silo still serves calls.
/// </summary>
internal sealed class ShutdownFlush(TableStoreRuntime runtime, IGrainFactory grains, ILogger<ShutdownFlush> log) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ShutdownFlush), ServiceLifecycleStage.Active, _ => Task.CompletedTask, FlushAsync);

    private async Task FlushAsync(CancellationToken ct)
    {
        var tables = runtime.TablesWithWrites.ToList();
        if (tables.Count == 0) return;
        log.ShutdownFlushStarted(tables.Count);
        var flushes = tables.Select(async t =>
        {
            try { await grains.GetGrain<ICommitGrain>(t).FlushAsync().ConfigureAwait(false); }
            catch (Exception e) { log.ShutdownFlushFailed(e, t); }
        });
        try { await Task.WhenAll(flushes).WaitAsync(runtime.Options.ShutdownFlushTimeout, ct).ConfigureAwait(false); }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            log.ShutdownFlushIncomplete();
        }
    }
}
