using Microsoft.Extensions.Logging;
using TableStore.Abstractions;
using TableStore.Core;

namespace TableStore.Grains.Ingest;

/// <summary>Owns the <see cref="IngestJobRun"/> of one stored job on the silo where it is active; stopping commits what it read.</summary>
internal sealed class IngestJobGrain(TableStoreRuntime runtime, ILogger<IngestJobGrain> log) : Grain, IIngestJobGrain, IDisposable
{
    private IngestJobRun? _run;

    public async Task<IngestJobStatus?> EnsureRunningAsync()
    {
        if (_run is null)
        {
            var spec = await IngestJobStore.LoadAsync(runtime.Store, this.GetPrimaryKeyString(), CancellationToken.None).ConfigureAwait(true);
            if (spec is null)
            {
                DeactivateOnIdle();
                return null;
            }
            _run = new IngestJobRun(spec, runtime, log, RuntimeIdentity);
        }
        return _run.Status();
    }

    public async Task<IngestJobStatus> RestartAsync(IngestJobSpec spec)
    {
        await StopRunAsync().ConfigureAwait(true);
        _run = new IngestJobRun(spec, runtime, log, RuntimeIdentity);
        return _run.Status();
    }

    public async Task StopAsync()
    {
        await StopRunAsync().ConfigureAwait(true);
        DeactivateOnIdle();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => StopRunAsync();

    public void Dispose() => _run?.Dispose();

    private async Task StopRunAsync()
    {
        if (_run is null) return;
        var run = _run;
        _run = null;
        if (!await run.StopAsync(runtime.Options.ShutdownFlushTimeout).ConfigureAwait(true))
        {
            // Two runs of one job would fence each other; the caller may try again once this one has ended.
            _run = run;
            throw new TableStoreException($"Ingestion job '{run.Spec.Name}' is still stopping: its commit under way did not end within {runtime.Options.ShutdownFlushTimeout.TotalSeconds:0} s. Try again shortly.");
        }
        run.Dispose();
    }
}
