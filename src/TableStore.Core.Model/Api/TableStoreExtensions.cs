using TableStore.Core.Consumers;
using TableStore.Core.Data;
using TableStore.Core.Maintenance;
using TableStore.Core.Manifest;
using TableStore.Core.Scan;
using TableStore.Core.Schema;
using TableStore.Core.Streaming;
using TableStore.Core.Table;
using TableStore.Core.Tags;

namespace TableStore.Core.Api;

/// <summary>
/// <see cref="ITableStore"/> with tables named by text (<c>db.table</c>, parsed by <see cref="Identifier.Parse"/>) and the
/// usual arguments defaulted, for application code. Each is one call of the interface, so it behaves the same embedded
/// and through a cluster.
/// </summary>
public static class TableStoreExtensions
{
    public static Task<TableSchema> CreateTableAsync(this ITableStore store, string table, TableDefinition definition, CancellationToken ct = default) =>
        store.CreateTableAsync(Identifier.Parse(table), definition, ct);

    public static Task<IReadOnlyList<string>> ListTablesAsync(this ITableStore store) => store.ListTablesAsync(CancellationToken.None);

    public static Task<(TableSchema Schema, long? LatestSnapshotId)> DescribeAsync(this ITableStore store, string table, CancellationToken ct = default) =>
        store.DescribeAsync(Identifier.Parse(table), ct);

    public static Task<TableSchema> GetSchemaAsync(this ITableStore store, string table, CancellationToken ct = default) =>
        store.GetSchemaAsync(Identifier.Parse(table), ct);

    public static Task<TableSchema> AlterTableAsync(this ITableStore store, string table, IReadOnlyList<SchemaChange> changes, CancellationToken ct = default) =>
        store.AlterTableAsync(Identifier.Parse(table), changes, ct);

    public static Task DropTableAsync(this ITableStore store, string table, CancellationToken ct = default) => store.DropTableAsync(Identifier.Parse(table), ct);

    /// <summary>One atomic write of <paramref name="rows"/>; null when there was nothing to commit.</summary>
    public static Task<WriteOutcome?> WriteAsync(this ITableStore store, string table, IReadOnlyList<ChangeRow> rows, WriteIdentity? identity = null, CancellationToken ct = default) =>
        store.WriteAsync(Identifier.Parse(table), rows as List<ChangeRow> ?? [.. rows], identity, ct);

    /// <summary>One atomic write of any size, its rows taken batch by batch as they come (read once).</summary>
    public static Task<WriteOutcome?> WriteAsync(this ITableStore store, string table, IAsyncEnumerable<IReadOnlyList<ChangeRow>> batches, WriteIdentity? identity = null,
        IProgress<long>? progress = null, CancellationToken ct = default) =>
        store.WriteAsync(Identifier.Parse(table), RowSource.Once(batches, $"the rows for {table}"), identity, progress, ct);

    /// <summary>INSERT OVERWRITE of the whole table, or of the partitions <paramref name="partition"/> selects (partition column → value).</summary>
    public static Task<WriteOutcome?> OverwriteAsync(this ITableStore store, string table, IReadOnlyList<ChangeRow> rows, IReadOnlyDictionary<string, string>? partition = null, WriteIdentity? identity = null,
        CancellationToken ct = default) =>
        store.OverwriteAsync(Identifier.Parse(table), rows as List<ChangeRow> ?? [.. rows], partition, identity, ct);

    /// <summary>INSERT OVERWRITE of any size, its rows taken batch by batch as they come (read once).</summary>
    public static Task<WriteOutcome?> OverwriteAsync(this ITableStore store, string table, IAsyncEnumerable<IReadOnlyList<ChangeRow>> batches, IReadOnlyDictionary<string, string>? partition = null,
        WriteIdentity? identity = null, IProgress<long>? progress = null, CancellationToken ct = default) =>
        store.OverwriteAsync(Identifier.Parse(table), RowSource.Once(batches, $"the rows for {table}"), partition, identity, progress, ct);

    public static Task<RescaleOutcome> RescaleAsync(this ITableStore store, string table, int buckets, IReadOnlyDictionary<string, string>? partition = null, CancellationToken ct = default) =>
        store.RescaleAsync(Identifier.Parse(table), buckets, partition, ct);

    /// <summary>Reads a snapshot (default: the latest, every column, every row).</summary>
    public static Task<ScanOutcome> ScanAsync(this ITableStore store, string table, ScanOptions? options = null, CancellationToken ct = default) =>
        store.ScanAsync(Identifier.Parse(table), options ?? new ScanOptions(), ct);

    /// <param name="key">Primary-key values in primary-key order.</param>
    public static Task<LookupOutcome> LookupAsync(this ITableStore store, string table, IReadOnlyList<object?> key, long? snapshotId = null, CancellationToken ct = default) =>
        store.LookupAsync(Identifier.Parse(table), [.. key], snapshotId, ct);

    public static Task<IReadOnlyList<Snapshot>> ListSnapshotsAsync(this ITableStore store, string table, CancellationToken ct = default) =>
        store.ListSnapshotsAsync(Identifier.Parse(table), ct);

    /// <summary>Tags a snapshot of the table (default: the latest).</summary>
    public static Task<Tag> CreateTagAsync(this ITableStore store, string table, string name, long? snapshotId = null, CancellationToken ct = default) =>
        store.CreateTagAsync(Identifier.Parse(table), name, snapshotId, ct);

    public static Task DeleteTagAsync(this ITableStore store, string table, string name, CancellationToken ct = default) =>
        store.DeleteTagAsync(Identifier.Parse(table), name, ct);

    public static Task<IReadOnlyList<Tag>> ListTagsAsync(this ITableStore store, string table, CancellationToken ct = default) =>
        store.ListTagsAsync(Identifier.Parse(table), ct);

    /// <summary>Compacts the table (full, or what the triggers pick), optionally some partitions (partition column → value).</summary>
    public static Task<CompactOutcome> CompactAsync(this ITableStore store, string table, bool full = false, IReadOnlyDictionary<string, string>? partition = null, CancellationToken ct = default) =>
        store.CompactAsync(Identifier.Parse(table), full, partition, null, ct);

    public static Task<ExpireOutcome> ExpireAsync(this ITableStore store, string table, ExpireOptions options, CancellationToken ct = default) =>
        store.ExpireAsync(Identifier.Parse(table), options, ct);

    public static Task<OrphanCleanOutcome> CleanOrphansAsync(this ITableStore store, string table, OrphanCleanOptions options, CancellationToken ct = default) =>
        store.CleanOrphansAsync(Identifier.Parse(table), options, ct);

    public static IAsyncEnumerable<ChangeBatch> StreamAsync(this ITableStore store, string table, StreamingOptions? options = null, CancellationToken ct = default) =>
        store.StreamAsync(Identifier.Parse(table), options ?? new StreamingOptions(), ct);

    public static Task<IReadOnlyList<Consumer>> ListConsumersAsync(this ITableStore store, string table, CancellationToken ct = default) =>
        store.ListConsumersAsync(Identifier.Parse(table), ct);

    /// <summary>Records that the consumer finished every snapshot before <paramref name="nextSnapshot"/>.</summary>
    public static Task SetConsumerAsync(this ITableStore store, string table, string consumerId, long nextSnapshot, CancellationToken ct = default) =>
        store.SetConsumerAsync(Identifier.Parse(table), consumerId, nextSnapshot, ct);

    public static Task DropConsumerAsync(this ITableStore store, string table, string consumerId, CancellationToken ct = default) =>
        store.DropConsumerAsync(Identifier.Parse(table), consumerId, ct);
}
