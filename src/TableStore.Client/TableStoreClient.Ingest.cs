using TableStore.Abstractions;
using TableStore.Core;

namespace TableStore.Client;

/// <summary>Ingestion jobs in the service: stored in the warehouse, run by the silos until stopped (cluster only).</summary>
public sealed partial class TableStoreClient
{
    /// <summary>Stores and starts an ingestion job (replacing, and restarting, one of the same name).</summary>
    public Task<IngestJobStatus> StartIngestionAsync(IngestJobSpec spec, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Jobs.StartAsync(spec).WaitAsync(ct);
    }

    /// <summary>Every stored job with its state on the silo that runs it.</summary>
    public Task<IReadOnlyList<IngestJobStatus>> ListIngestionsAsync(CancellationToken ct = default) =>
        RetryAsync("list the ingestion jobs", () => Jobs.ListAsync(), ct);

    /// <summary>Stops a job (it commits what it read) and deletes it.</summary>
    public async Task StopIngestionAsync(string name, CancellationToken ct = default)
    {
        if (!await Jobs.StopAsync(name).WaitAsync(ct).ConfigureAwait(false))
            throw new InvalidInputException($"There is no ingestion job '{name}'; 'tablestore ingest list' shows them.");
    }

    private IIngestJobsGrain Jobs => _grains.GetGrain<IIngestJobsGrain>(GrainKeys.Catalog);
}
