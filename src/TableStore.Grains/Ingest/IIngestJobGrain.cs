using TableStore.Abstractions;

namespace TableStore.Grains.Ingest;

/// <summary>Runs one ingestion job (key: the job's name) on the silo where it is active, off the grain's scheduler.</summary>
[Alias("TableStore.IIngestJobGrain")]
public interface IIngestJobGrain : IGrainWithStringKey
{
    /// <summary>Loads the job from the warehouse and starts it unless it runs (or failed); null when no such job is stored.</summary>
    [Alias("EnsureRunning")] Task<IngestJobStatus?> EnsureRunningAsync();

    /// <summary>Stops a run, if any, and starts <paramref name="spec"/>.</summary>
    [Alias("Restart")] Task<IngestJobStatus> RestartAsync(IngestJobSpec spec);

    /// <summary>Stops the run, committing what it read, and deactivates.</summary>
    [Alias("Stop")] Task StopAsync();
}
