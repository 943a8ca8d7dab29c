using System.Runtime.CompilerServices;
using TableStore.Core.Data;
using TableStore.Core.IO;
using TableStore.Core.Lookup;
using TableStore.Core.Maintenance;
using TableStore.Core.Manifest;
using TableStore.Core.Scan;
using TableStore.Core.Schema;
using TableStore.Core.Streaming;
using TableStore.Core.Table;
using TableStore.Core.Tags;
using TableStore.Core.Consumers;

namespace TableStore.Core.Api;

/// <summary>
/// The table API in this process: opens the warehouse and runs the engine itself (no cluster). Writers in other
/// processes may share the warehouse: commits are atomic and optimistic (see <see cref="Commit.FileStoreCommit"/>).
/// </summary>
public sealed class EmbeddedTableStore : ITableStore
{
    private readonly Catalog _catalog;
    private readonly LookupFileCache _lookupCache;

    /// <param name="warehouse">A directory or a <c>file://</c> URI (cloud warehouses: the overload with an <see cref="ObjectStoreFactory"/>).</param>
    /// <param name="lookupCacheBytes">Decoded files kept for point lookups (64 MiB: a command-line lookup reads few files once).</param>
    public EmbeddedTableStore(string warehouse, ObjectStoreOptions? storeOptions = null, long lookupCacheBytes = 64L << 20)
        : this(warehouse, ObjectStoreFactory.Local, storeOptions, lookupCacheBytes)
    {
    }

    /// <param name="warehouse">A directory, or a URI of a scheme <paramref name="stores"/> opens (<c>s3://bucket/prefix</c>, <c>az://account/container/prefix</c>).</param>
    /// <param name="stores">Opens the warehouse: built with the openers of the cloud stores this program references.</param>
    /// <param name="lookupCacheBytes">Decoded files kept for point lookups (64 MiB: a command-line lookup reads few files once).</param>
    public EmbeddedTableStore(string warehouse, ObjectStoreFactory stores, ObjectStoreOptions? storeOptions = null, long lookupCacheBytes = 64L << 20)
        : this(new Catalog(stores.Open(warehouse, storeOptions)), lookupCacheBytes)
    {
    }

    public EmbeddedTableStore(Catalog catalog, long lookupCacheBytes = 64L << 20)
    {
        _catalog = catalog;
        _lookupCache = new LookupFileCache(lookupCacheBytes);
    }

    public string Location => _catalog.Store.Location;

    /// <summary>The warehouse's catalog, for work that runs the engine directly on a table (e.g. ingestion from Kafka).</summary>
    public Catalog Catalog => _catalog;

    public async Task<TableSchema> CreateTableAsync(Identifier id, TableDefinition definition, CancellationToken ct) =>
        (await _catalog.CreateTableAsync(id, definition, ct).ConfigureAwait(false)).Schema;

    public async Task<IReadOnlyList<string>> ListTablesAsync(CancellationToken ct) =>
        (await _catalog.ListTablesAsync(ct).ConfigureAwait(false)).Select(t => t.FullName).ToList();

    public async Task<(TableSchema Schema, long? LatestSnapshotId)> DescribeAsync(Identifier id, CancellationToken ct)
    {
        var t = await _catalog.GetTableAsync(id, ct).ConfigureAwait(false);
        return (t.Schema, await t.Snapshots.LatestIdAsync(ct).ConfigureAwait(false));
    }

    public Task DropTableAsync(Identifier id, CancellationToken ct) => _catalog.DropTableAsync(id, ct);

    public async Task<TableSchema> GetSchemaAsync(Identifier id, CancellationToken ct) =>
        (await _catalog.GetTableAsync(id, ct).ConfigureAwait(false)).Schema;

    public async Task<WriteOutcome?> WriteAsync(Identifier id, List<ChangeRow> rows, WriteIdentity? identity, CancellationToken ct)
    {
        var t = await _catalog.GetTableAsync(id, ct).ConfigureAwait(false);
        var options = identity is null ? null : new WriteOptions { CommitUser = identity.CommitUser, CommitIdentifier = identity.CommitId };
        var result = await t.WriteAndCommitAsync(rows, options, ct).ConfigureAwait(false);
        return result is null ? null : new WriteOutcome(result.SnapshotId, result.AlreadyCommitted);
    }

    public async Task<WriteOutcome?> WriteAsync(Identifier id, RowSource rows, WriteIdentity? identity, IProgress<long>? progress, CancellationToken ct)
    {
        var t = await _catalog.GetTableAsync(id, ct).ConfigureAwait(false);
        var options = identity is null ? null : new WriteOptions { CommitUser = identity.CommitUser, CommitIdentifier = identity.CommitId };
        var result = await t.WriteAndCommitAsync(progress is null ? rows : rows.Counted(progress), options, ct).ConfigureAwait(false);
        return result is null ? null : new WriteOutcome(result.SnapshotId, result.AlreadyCommitted);
    }

    public Task<WriteOutcome?> OverwriteAsync(Identifier id, List<ChangeRow> rows, IReadOnlyDictionary<string, string>? partition, WriteIdentity? identity, CancellationToken ct) =>
        OverwriteAsync(id, RowSource.Of(rows), partition, identity, null, ct);

    public async Task<WriteOutcome?> OverwriteAsync(Identifier id, RowSource rows, IReadOnlyDictionary<string, string>? partition, WriteIdentity? identity, IProgress<long>? progress, CancellationToken ct)
    {
        var t = await _catalog.GetTableAsync(id, ct).ConfigureAwait(false);
        var options = new WriteOptions
        {
            Kind = CommitKind.Overwrite,
            OverwritePartitions = PartitionSpec.Of(partition, t.Schema),
            CommitUser = identity?.CommitUser,
            CommitIdentifier = identity?.CommitId ?? 1,
        };
        var result = await t.WriteAndCommitAsync(progress is null ? rows : rows.Counted(progress), options, ct).ConfigureAwait(false);
        return result is null ? null : new WriteOutcome(result.SnapshotId, result.AlreadyCommitted);
    }

    public Task<RescaleOutcome> RescaleAsync(Identifier id, int buckets, IReadOnlyDictionary<string, string>? partition, CancellationToken ct) =>
        TableRescale.RunAsync(_catalog, id, buckets, partition, ct: ct);

    public async Task<ScanOutcome> ScanAsync(Identifier id, ScanOptions options, CancellationToken ct)
    {
        var t = await _catalog.GetTableAsync(id, ct).ConfigureAwait(false);
        var result = await t.ScanAsync(options, ct).ConfigureAwait(false);
        return new ScanOutcome(result.Columns, result.Snapshot?.Id, result.Rows);
    }

    public async Task<IReadOnlyList<Snapshot>> ListSnapshotsAsync(Identifier id, CancellationToken ct)
    {
        var t = await _catalog.GetTableAsync(id, ct).ConfigureAwait(false);
        return await t.Snapshots.ListAsync(ct).ConfigureAwait(false);
    }

    public async Task<TableSchema> AlterTableAsync(Identifier id, IReadOnlyList<SchemaChange> changes, CancellationToken ct) =>
        (await _catalog.AlterTableAsync(id, changes, ct).ConfigureAwait(false)).Schema;

    public async Task<CompactOutcome> CompactAsync(Identifier id, bool full, IReadOnlyDictionary<string, string>? partition, IProgress<CompactProgress>? progress, CancellationToken ct)
    {
        var table = await _catalog.GetTableAsync(id, ct).ConfigureAwait(false);
        var options = new CompactOptions { Full = full, Partitions = PartitionSpec.Of(partition, table.Schema), Progress = progress };
        return await table.CompactAsync(options, ct).ConfigureAwait(false);
    }

    public async Task<ExpireOutcome> ExpireAsync(Identifier id, ExpireOptions options, CancellationToken ct) =>
        await new SnapshotExpiration(await _catalog.GetTableAsync(id, ct).ConfigureAwait(false)).RunAsync(options, ct).ConfigureAwait(false);

    public async Task<OrphanCleanOutcome> CleanOrphansAsync(Identifier id, OrphanCleanOptions options, CancellationToken ct) =>
        await new OrphanFilesClean(await _catalog.GetTableAsync(id, ct).ConfigureAwait(false)).RunAsync(options, ct).ConfigureAwait(false);

    public async IAsyncEnumerable<ChangeBatch> StreamAsync(Identifier id, StreamingOptions options, [EnumeratorCancellation] CancellationToken ct)
    {
        var t = await _catalog.GetTableAsync(id, ct).ConfigureAwait(false);
        await foreach (var batch in new StreamingReader(t).ReadAsync(options, ct).ConfigureAwait(false)) yield return batch;
    }

    public async Task<IReadOnlyList<Consumer>> ListConsumersAsync(Identifier id, CancellationToken ct) =>
        await (await _catalog.GetTableAsync(id, ct).ConfigureAwait(false)).Consumers.ListAsync(ct).ConfigureAwait(false);

    public async Task DropConsumerAsync(Identifier id, string consumerId, CancellationToken ct) =>
        await (await _catalog.GetTableAsync(id, ct).ConfigureAwait(false)).Consumers.DeleteAsync(consumerId, ct).ConfigureAwait(false);

    public async Task SetConsumerAsync(Identifier id, string consumerId, long nextSnapshot, CancellationToken ct) =>
        await (await _catalog.GetTableAsync(id, ct).ConfigureAwait(false)).Consumers.SetAsync(consumerId, nextSnapshot, ct).ConfigureAwait(false);

    public async Task<Tag> CreateTagAsync(Identifier id, string name, long? snapshotId, CancellationToken ct) =>
        await (await _catalog.GetTableAsync(id, ct).ConfigureAwait(false)).Tags.CreateAsync(name, snapshotId, ct).ConfigureAwait(false);

    public async Task DeleteTagAsync(Identifier id, string name, CancellationToken ct) =>
        await (await _catalog.GetTableAsync(id, ct).ConfigureAwait(false)).Tags.DeleteAsync(name, ct).ConfigureAwait(false);

    public async Task<IReadOnlyList<Tag>> ListTagsAsync(Identifier id, CancellationToken ct) =>
        await (await _catalog.GetTableAsync(id, ct).ConfigureAwait(false)).Tags.ListAsync(ct).ConfigureAwait(false);

    public async Task<LookupOutcome> LookupAsync(Identifier id, object?[] key, long? snapshotId, CancellationToken ct)
    {
        var t = await _catalog.GetTableAsync(id, ct).ConfigureAwait(false);
        var result = await new TableLookup(t, _lookupCache).LookupAsync(key, snapshotId, ct).ConfigureAwait(false);
        return new LookupOutcome(result.Snapshot?.Id, result.Row);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
