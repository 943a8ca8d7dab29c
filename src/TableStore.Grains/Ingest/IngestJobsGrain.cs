using TableStore.Abstractions;
using TableStore.Core;
using TableStore.Core.Ingest;
using TableStore.Ingest.Kafka;

namespace TableStore.Grains.Ingest;

/// <summary>
/// The registry of ingestion jobs: checks and stores a job, then hands it to its <see cref="IIngestJobGrain"/>.
/// What runs is decided by the stored definitions, which <see cref="IngestJobKeeper"/> on every silo reads.
/// </summary>
internal sealed class IngestJobsGrain(TableStoreRuntime runtime) : Grain, IIngestJobsGrain
{
    public async Task<IngestJobStatus> StartAsync(IngestJobSpec spec)
    {
        KafkaIngestOptions options;
        try { options = IngestJobOptions.From(spec); }
        catch (ArgumentException e) { throw new InvalidInputException(e.Message); }
        // The definition is stored in the warehouse (and returned by 'ingest list'): no secret goes in it.
        foreach (var (key, value) in spec.Settings)
            if (KafkaIngestOptions.IsSecret(key) && !value.StartsWith(KafkaIngestOptions.EnvironmentReference, StringComparison.Ordinal))
                throw new InvalidInputException($"Kafka setting {key} of job '{spec.Name}' is a secret, and a job's settings are stored in the warehouse: give it as -X {key}=env:VARIABLE and set VARIABLE on the silos.");
        var table = await runtime.GetExistingTableAsync(spec.Table).ConfigureAwait(true);
        ChangeMessageDecoder.Create(spec.Format, table.Schema); // the format exists for this table
        KafkaIngestion.CheckSettings(options); // bad -X settings fail here, not in an endless retry
        // Two jobs on one table, topic and group would fence each other forever.
        var group = options.GroupFor(table.Identifier);
        foreach (var other in await IngestJobStore.ListNamesAsync(runtime.Store, CancellationToken.None).ConfigureAwait(true))
        {
            if (other == spec.Name || await IngestJobStore.LoadAsync(runtime.Store, other, CancellationToken.None).ConfigureAwait(true) is not { } existing) continue;
            if (existing.Table == spec.Table && existing.Topic == spec.Topic && IngestJobOptions.From(existing).GroupFor(table.Identifier) == group)
                throw new InvalidInputException($"Ingestion job '{other}' already ingests topic '{spec.Topic}' into {spec.Table} as group {group}; stop it first, or give this one another --group.");
        }
        await IngestJobStore.SaveAsync(runtime.Store, spec, CancellationToken.None).ConfigureAwait(true);
        return await GrainFactory.GetGrain<IIngestJobGrain>(spec.Name).RestartAsync(spec).ConfigureAwait(true);
    }

    public async Task<IReadOnlyList<IngestJobStatus>> ListAsync()
    {
        var names = await IngestJobStore.ListNamesAsync(runtime.Store, CancellationToken.None).ConfigureAwait(true);
        var statuses = await Task.WhenAll(names.Select(n => GrainFactory.GetGrain<IIngestJobGrain>(n).EnsureRunningAsync())).ConfigureAwait(true);
        return [.. statuses.OfType<IngestJobStatus>().OrderBy(s => s.Spec.Name, StringComparer.Ordinal)];
    }

    public async Task<bool> StopAsync(string name)
    {
        try { IngestJobSpec.ValidateName(name); }
        catch (ArgumentException e) { throw new InvalidInputException(e.Message); }
        if (await IngestJobStore.LoadAsync(runtime.Store, name, CancellationToken.None).ConfigureAwait(true) is null) return false;
        // The definition goes first, so no silo's keeper starts the job again while it stops.
        await IngestJobStore.DeleteAsync(runtime.Store, name, CancellationToken.None).ConfigureAwait(true);
        await GrainFactory.GetGrain<IIngestJobGrain>(name).StopAsync().ConfigureAwait(true);
        return true;
    }
}
