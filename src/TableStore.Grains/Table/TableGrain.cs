using System.Runtime.CompilerServices;
using Orleans.Concurrency;
using TableStore.Core.Api;
using TableStore.Abstractions;
using TableStore.Core.Commit;
using TableStore.Core;
using TableStore.Core.Lookup;
using TableStore.Core.Maintenance;
using TableStore.Core.Manifest;
using TableStore.Core.Serialization;
using TableStore.Core.Streaming;
using TableStore.Core.Table;
using TableStore.Grains.Commit;
using TableStore.Grains.Diagnostics;
using TableStore.Grains.Write;
using TableStore.Core.Tags;
using TableStore.Core.Consumers;

namespace TableStore.Grains.Table;

/// <summary>
/// The front door of one table. A write is validated here (bad rows fail the whole write before anything is
/// buffered), split by partition and bucket, handed to the bucket writers, and then waits on the commit grain.
/// Stateless (the table cache is per silo), so it is a stateless worker: every silo runs up to one activation
/// per core, next to the caller, and validation of a busy table's rows is spread over all cores and silos
/// instead of queuing behind one activation. Reentrant: writes interleave while they wait.
/// </summary>
[StatelessWorker]
[Reentrant]
internal sealed class TableGrain(TableStoreRuntime runtime) : Grain, ITableGrain, ITableAdminGrain
{
    private const int CatchUpReplyBytes = 16 << 20;

    private string TableName => this.GetPrimaryKeyString();

    public async Task<TableInfo> GetInfoAsync()
    {
        var table = await runtime.GetExistingTableAsync(TableName, checkSchemaNow: true).ConfigureAwait(true);
        return new TableInfo(TableName, table.Schema, await table.Snapshots.LatestIdAsync().ConfigureAwait(true));
    }

    public async Task<WriteOutcome?> WriteAsync(WriteRequest request)
    {
        WriteIds.Validate(request.WriteId);
        if (request.Overwrite) return await OverwriteAsync(request).ConfigureAwait(true);
        var table = await runtime.GetTableAsync(TableName).ConfigureAwait(true);
        var groups = Route(table, request);
        if (groups.Count == 0) return null;
        try
        {
            return await AppendAndCommitAsync(groups, table.Schema.Id, request).ConfigureAwait(true);
        }
        catch (WriteNotCommittedException)
        {
            // This silo's cached schema may predate a rescale or an alter made through another silo (it is refreshed
            // only every SchemaRefreshInterval): the rows were then routed for the old bucket count, and the bucket
            // writers refused them. Nothing of the write is visible, so it is routed once more with the schema read
            // now, under the same write id, after its first rows are dropped everywhere (awaited: a late drop must
            // not remove the new rows).
            runtime.Forget(TableName);
            var fresh = await runtime.GetTableAsync(TableName).ConfigureAwait(true);
            if (fresh.Schema.Id == table.Schema.Id) throw;
            await DiscardAsync(groups.Keys, request.WriteId).ConfigureAwait(true);
            var again = Route(fresh, request);
            return again.Count == 0 ? null : await AppendAndCommitAsync(again, fresh.Schema.Id, request).ConfigureAwait(true);
        }
    }

    private async Task<WriteOutcome?> AppendAndCommitAsync(Dictionary<string, BucketGroup> groups, long schemaId, WriteRequest request)
    {
        var appended = new List<string>(groups.Count);
        try
        {
            await Task.WhenAll(groups.Select(async g =>
            {
                await GrainFactory.GetGrain<IBucketWriterGrain>(g.Key)
                    .AppendAsync(new BucketAppend(request.WriteId, g.Value.Partition, new RowBatch([.. g.Value.Kinds], [.. g.Value.Rows]), schemaId)).ConfigureAwait(true);
                appended.Add(g.Key);
            })).ConfigureAwait(true);
        }
        catch (Exception e)
        {
            _ = DiscardAsync(appended, request.WriteId);
            throw new WriteNotCommittedException(
                $"Write {request.WriteId} to {TableName} was not committed: its rows could not be handed to the bucket writers ({ErrorText.Summary(e)}). Nothing of it is visible; retry it.", e);
        }
        long bytes = groups.Values.Sum(g => g.Bytes);
        int rowCount = groups.Values.Sum(g => g.Rows.Count);
        var result = await GrainFactory.GetGrain<ICommitGrain>(TableName)
            .CompleteAsync(new WriteTicket(request.WriteId, [.. groups.Keys], rowCount, bytes,
                request.SinceFirstAttempt is { } ago ? CommittedWrites.NotBefore(runtime.Time.GetUtcNow() - ago) : null)).ConfigureAwait(true);
        // A retry of a committed write: the rows just buffered again must not be committed a second time.
        if (result.AlreadyCommitted) _ = DiscardAsync(groups.Keys, request.WriteId);
        return result;
    }

    /// <summary>
    /// An overwrite is its own commit, not part of a group commit: it replaces what is committed when it lands.
    /// Its commit identity is its write id, so a retry finds an overwrite that already landed.
    /// </summary>
    private async Task<WriteOutcome?> OverwriteAsync(WriteRequest request)
    {
        var table = await ExistingAsync();
        var (kinds, rows) = RowBatchCodec.Decode(request.Rows);
        var result = await table.WriteAndCommitAsync(BucketGroups.ToChangeRows(TableName, kinds, rows), new WriteOptions
        {
            Kind = CommitKind.Overwrite,
            OverwritePartitions = PartitionSpec.Of(request.OverwritePartition, table.Schema),
            CommitUser = TableUploadGrain.OverwriteCommitUser(request.WriteId),
        }).ConfigureAwait(true);
        return result is null ? null : new WriteOutcome(result.SnapshotId, result.AlreadyCommitted);
    }

    public async Task<RescaleOutcome> RescaleAsync(int buckets, IReadOnlyDictionary<string, string>? partition)
    {
        var outcome = await TableRescale.RunAsync(runtime.Catalog, Identifier.Parse(TableName), buckets, partition).ConfigureAwait(true);
        runtime.Forget(TableName);
        return outcome;
    }

    /// <summary>Validates every row (Core's <see cref="BucketGroups"/>) and keys the groups by bucket writer grain.</summary>
    private Dictionary<string, BucketGroup> Route(FileStoreTable table, WriteRequest request)
    {
        if (request.Rows is null) throw new InvalidInputException($"Write {request.WriteId} to {TableName} has no rows.");
        var (kinds, rows) = RowBatchCodec.Decode(request.Rows);
        return BucketGroups.Split(table.Schema, TableName, kinds, rows)
            .ToDictionary(g => GrainKeys.Bucket(TableName, table.Schema.PartitionKeys, g.Partition, g.Bucket), StringComparer.Ordinal);
    }

    /// <summary>Drops a write's rows from these bucket writers; callers that need not wait leave the task.</summary>
    private Task DiscardAsync(IEnumerable<string> buckets, string writeId) =>
        Task.WhenAll(buckets.Select(b => GrainFactory.GetGrain<IBucketWriterGrain>(b).DiscardAsync(writeId)));

    public async Task<IReadOnlyList<Snapshot>> ListSnapshotsAsync() =>
        await (await runtime.GetTableAsync(TableName).ConfigureAwait(true)).Snapshots.ListAsync().ConfigureAwait(true);

    public async Task<Tag> CreateTagAsync(string name, long? snapshotId) => await (await ExistingAsync()).Tags.CreateAsync(name, snapshotId).ConfigureAwait(true);

    public async Task DeleteTagAsync(string name) => await (await ExistingAsync()).Tags.DeleteAsync(name).ConfigureAwait(true);

    public async Task<IReadOnlyList<Tag>> ListTagsAsync() => await (await ExistingAsync()).Tags.ListAsync().ConfigureAwait(true);

    public async Task<CompactOutcome> CompactAsync(CompactRequest request)
    {
        var table = await ExistingAsync();
        var options = new CompactOptions { Full = request.Full, Partitions = PartitionSpec.Of(request.Partition, table.Schema) };
        return await table.CompactAsync(options).ConfigureAwait(true);
    }

    public async Task<ExpireOutcome> ExpireAsync(ExpireRequest request) =>
        await new SnapshotExpiration(await ExistingAsync()).RunAsync(new ExpireOptions(request.RetainLast, request.OlderThan)).ConfigureAwait(true);

    public async Task<OrphanCleanOutcome> CleanOrphansAsync(OrphansRequest request) =>
        await new OrphanFilesClean(await ExistingAsync()).RunAsync(new OrphanCleanOptions(request.OlderThan, request.DryRun)).ConfigureAwait(true);

    public async Task<StreamPosition> ResolveStreamStartAsync(string start, string? consumerId)
    {
        var table = await ExistingAsync();
        var (full, next) = await new StreamingReader(table).StartAsync(StreamStart.Parse(start), consumerId).ConfigureAwait(true);
        var fullEvent = full is null ? null : ChangeEvent.From(TableName, await new SnapshotChanges(table).ReadFullAsync(full).ConfigureAwait(true));
        return new StreamPosition(next, fullEvent);
    }

    public async Task<ChangeEvent[]> ReadChangesAsync(long from, int max)
    {
        var table = await ExistingAsync();
        // Bounded by count and by size: a reply is one Orleans message, and the caller asks again for the rest.
        if (max <= 0) return [];
        var page = await new CatchUpReader(table).ReadAsync(from, max, CatchUpReplyBytes).ConfigureAwait(true);
        ServiceMetrics.SubscriberLag.Record(page.Behind, ServiceMetrics.Table(TableName));
        return [.. page.Batches.Select(b => ChangeEvent.From(TableName, b))];
    }

    public async Task<IReadOnlyList<Consumer>> ListConsumersAsync() => await (await ExistingAsync()).Consumers.ListAsync().ConfigureAwait(true);

    public async Task SetConsumerAsync(string consumerId, long nextSnapshot) =>
        await (await ExistingAsync()).Consumers.SetAsync(consumerId, nextSnapshot).ConfigureAwait(true);

    public async Task DropConsumerAsync(string consumerId) => await (await ExistingAsync()).Consumers.DeleteAsync(consumerId).ConfigureAwait(true);

    public async Task<LookupOutcome> LookupAsync(LookupRequest request)
    {
        var table = await runtime.GetTableAsync(TableName).ConfigureAwait(true);
        var key = LookupKeys.TypeKey(table.Schema, request.Key);
        var (partition, bucket) = new KeyRouter(table.Schema).Locate(key);
        return await GrainFactory.GetGrain<ILookupGrain>(GrainKeys.Bucket(TableName, table.Schema.PartitionKeys, partition, bucket))
            .LookupAsync(request with { Key = key }).ConfigureAwait(true);
    }

    /// <summary>The table, checked to exist now (a drop through another silo is seen at once).</summary>
    private ConfiguredTaskAwaitable<FileStoreTable> ExistingAsync() => runtime.GetExistingTableAsync(TableName).ConfigureAwait(true);

    public async Task CloseAsync(string reason)
    {
        await GrainFactory.GetGrain<ICommitGrain>(TableName).CloseAsync(reason).ConfigureAwait(true);
        runtime.Forget(TableName);
        DeactivateOnIdle();
    }
}
