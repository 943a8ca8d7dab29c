namespace TableStore.Abstractions;

/// <summary>
/// The cluster's ingestion jobs (one activation, key <see cref="GrainKeys.Catalog"/>). Jobs are stored in the
/// warehouse and kept running by every silo: a job whose silo died starts again on another within
/// <c>TableStore:IngestJobCheckInterval</c>, resuming from the offsets its table's last snapshot holds.
/// </summary>
[Alias("TableStore.IIngestJobsGrain")]
public interface IIngestJobsGrain : IGrainWithStringKey
{
    /// <summary>Stores the job and starts it; a job of that name is replaced (and restarted, e.g. after it failed).</summary>
    [Alias("Start")] Task<IngestJobStatus> StartAsync(IngestJobSpec spec);

    [Alias("List")] Task<IReadOnlyList<IngestJobStatus>> ListAsync();

    /// <summary>Stops the job, committing what it read, and deletes it; false when there is no such job.</summary>
    [Alias("Stop")] Task<bool> StopAsync(string name);
}
