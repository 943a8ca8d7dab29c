using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using TableStore.Core.Api;
using TableStore.Abstractions;
using TableStore.Core;
using TableStore.Core.Commit.GroupCommit;
using TableStore.Grains.Diagnostics;
using TableStore.Grains.Maintenance;
using TableStore.Streaming.Kafka;

namespace TableStore.Grains.Commit;

/// <summary>
/// The one committer of a table: owns its <see cref="GroupCommitter"/> (Core's group commit: batching, seal, flush,
/// commit, conflict retries, write-id deduplication), gives it grain timers to wake up on, publishes what it
/// commits, and runs the table's maintenance timer. Reentrant: writes keep joining the next batch while one
/// commits; everything runs on the grain's scheduler, so interleaving happens only at awaits.
/// </summary>
[Reentrant]
internal sealed class CommitGrain(TableStoreRuntime runtime, ILogger<CommitGrain> log) : Grain, ICommitGrain
{
    private GroupCommitter _committer = null!;
    private ChangePublisher? _publisher;

    private string TableName => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var options = runtime.Options;
        _committer = await GroupCommitter.CreateAsync(TableName, checkSchemaNow => runtime.GetExistingTableAsync(TableName, checkSchemaNow), new BucketWriterGrains(GrainFactory, runtime, TableName),
            new GroupCommitOptions
            {
                CommitInterval = options.CommitInterval,
                MaxBufferedBytes = options.CommitMaxBufferedBytes,
                DeduplicationSnapshots = options.WriteDeduplicationSnapshots,
            },
            runtime.Time, WakeAfter, log, cancellationToken).ConfigureAwait(true);
        var publisher = _publisher = new ChangePublisher(() => this.GetStreamProvider(options.StreamProvider), options.StreamProvider, TableName, options.MaxPublishedChangeRows,
            options.MaxPublishedEventBytes, options.PublishAttempts, ServiceProvider.GetKeyedService<KafkaPublishedOffsets>(options.StreamProvider), log);
        _committer.Committed += publisher.Publish;
        _committer.LogPositions = () => publisher.Position;
        _committer.BatchEnded += RecordMetrics;
        runtime.TrackWrites(TableName);
        var maintenance = new MaintenanceSchedule(runtime.Time, runtime.Options.AbandonedUploadTimeout, log);
        this.RegisterGrainTimer(async _ =>
        {
            try { maintenance.Tick(await runtime.GetExistingTableAsync(TableName).ConfigureAwait(true)); }
            catch (TableNotFoundException) { }
        }, new GrainTimerCreationOptions(options.MaintenanceCheckInterval, options.MaintenanceCheckInterval) { Interleave = true });
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Writes accepted here are committed before the grain goes (shutdown, rebalancing); only a crash loses them,
        // and then they were never acknowledged.
        if (_committer?.IsBusy == true)
        {
            log.CommittingBeforeDeactivation(TableName, reason.Description);
            await _committer.FlushAsync().WaitAsync(cancellationToken).ConfigureAwait(true);
        }
        if (_publisher is null) return;
        // The last snapshots get a moment to go out; retries beyond it would race the next activation's publishes.
        try { await _publisher.Idle.WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(true); }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException) { }
        _publisher.Close();
    }

    public async Task<WriteOutcome> CompleteAsync(WriteTicket ticket)
    {
        var result = await _committer.CompleteAsync(new GroupCommitWrite(ticket.WriteId, ticket.Buckets, ticket.Rows, ticket.Bytes, ticket.NotBeforeMillis)).ConfigureAwait(true);
        return new WriteOutcome(result.SnapshotId, result.AlreadyCommitted);
    }

    public Task<long?> FindCommittedAsync(string writeId, long? notBeforeMillis) => _committer.FindCommittedAsync(writeId, notBeforeMillis);

    public Task FlushAsync() => _committer.FlushAsync();

    public async Task CloseAsync(string reason)
    {
        await _committer.CloseAsync(reason).ConfigureAwait(true);
        DeactivateOnIdle();
    }

    private IDisposable WakeAfter(TimeSpan delay, Action wake) =>
        this.RegisterGrainTimer(_ =>
        {
            wake();
            return Task.CompletedTask;
        }, new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan) { Interleave = true });

    private void RecordMetrics(GroupCommitStats stats)
    {
        var table = ServiceMetrics.Table(TableName);
        ServiceMetrics.Writes.Add(stats.Committed, table);
        ServiceMetrics.Rows.Add(stats.RowsCommitted, table);
        ServiceMetrics.WritesFailed.Add(stats.Failed, table);
        if (stats.Duration <= TimeSpan.Zero) return; // failed by a close, not a group commit
        ServiceMetrics.BatchWrites.Record(stats.Writes, table);
        ServiceMetrics.BatchDuration.Record(stats.Duration.TotalMilliseconds, table);
    }
}
