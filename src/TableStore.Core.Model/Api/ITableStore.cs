using TableStore.Core.Data;
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
/// TableStore's one table API, for applications and the CLI alike: <see cref="EmbeddedTableStore"/> opens the
/// warehouse in this process and runs the engine itself; <c>TableStoreClient</c> (package TableStore.Client) asks a
/// running cluster, whose silos own the warehouse. Both pass the same contract test suite, so code written against
/// this interface behaves the same either way. Errors are <see cref="TableStoreException"/>s
/// (<see cref="TableStoreException.IsRetryable"/> says whether doing the same again may succeed).
/// </summary>
public interface ITableStore : IAsyncDisposable
{
    /// <summary>The warehouse or the cluster address, for messages.</summary>
    string Location { get; }

    Task<TableSchema> CreateTableAsync(Identifier id, TableDefinition definition, CancellationToken ct);
    Task<IReadOnlyList<string>> ListTablesAsync(CancellationToken ct);
    Task<(TableSchema Schema, long? LatestSnapshotId)> DescribeAsync(Identifier id, CancellationToken ct);
    Task<TableSchema> AlterTableAsync(Identifier id, IReadOnlyList<SchemaChange> changes, CancellationToken ct);
    Task DropTableAsync(Identifier id, CancellationToken ct);
    Task<TableSchema> GetSchemaAsync(Identifier id, CancellationToken ct);

    /// <summary>One atomic write; null when there was nothing to commit.</summary>
    Task<WriteOutcome?> WriteAsync(Identifier id, List<ChangeRow> rows, WriteIdentity? identity, CancellationToken ct);

    /// <summary>
    /// One atomic write of any size, its rows taken batch by batch with bounded memory (embedded: the memtables'
    /// <c>write-buffer-size</c>; cluster: one upload part). Null when there was nothing to commit.
    /// </summary>
    /// <param name="progress">Rows taken so far.</param>
    Task<WriteOutcome?> WriteAsync(Identifier id, RowSource rows, WriteIdentity? identity, IProgress<long>? progress, CancellationToken ct);

    /// <summary>INSERT OVERWRITE of the whole table or the partitions <paramref name="partition"/> selects (partition column → value; null: the whole table).</summary>
    Task<WriteOutcome?> OverwriteAsync(Identifier id, List<ChangeRow> rows, IReadOnlyDictionary<string, string>? partition, WriteIdentity? identity, CancellationToken ct);

    /// <summary>INSERT OVERWRITE of any size, its rows taken batch by batch with bounded memory, as <see cref="WriteAsync(Identifier, RowSource, WriteIdentity?, IProgress{long}?, CancellationToken)"/>.</summary>
    Task<WriteOutcome?> OverwriteAsync(Identifier id, RowSource rows, IReadOnlyDictionary<string, string>? partition, WriteIdentity? identity, IProgress<long>? progress, CancellationToken ct);

    Task<RescaleOutcome> RescaleAsync(Identifier id, int buckets, IReadOnlyDictionary<string, string>? partition, CancellationToken ct);

    Task<ScanOutcome> ScanAsync(Identifier id, ScanOptions options, CancellationToken ct);
    Task<IReadOnlyList<Snapshot>> ListSnapshotsAsync(Identifier id, CancellationToken ct);

    Task<Tag> CreateTagAsync(Identifier id, string name, long? snapshotId, CancellationToken ct);
    Task DeleteTagAsync(Identifier id, string name, CancellationToken ct);
    Task<IReadOnlyList<Tag>> ListTagsAsync(Identifier id, CancellationToken ct);

    /// <param name="partition">Partition column → value (some or all partition columns), or null for every partition.</param>
    Task<CompactOutcome> CompactAsync(Identifier id, bool full, IReadOnlyDictionary<string, string>? partition, IProgress<CompactProgress>? progress, CancellationToken ct);
    Task<ExpireOutcome> ExpireAsync(Identifier id, ExpireOptions options, CancellationToken ct);
    Task<OrphanCleanOutcome> CleanOrphansAsync(Identifier id, OrphanCleanOptions options, CancellationToken ct);

    /// <summary>A table's changes, snapshot by snapshot (see <see cref="StreamingReader"/>).</summary>
    IAsyncEnumerable<ChangeBatch> StreamAsync(Identifier id, StreamingOptions options, CancellationToken ct);
    Task<IReadOnlyList<Consumer>> ListConsumersAsync(Identifier id, CancellationToken ct);
    Task DropConsumerAsync(Identifier id, string consumerId, CancellationToken ct);
    /// <summary>Records that the consumer finished every snapshot before <paramref name="nextSnapshot"/>.</summary>
    Task SetConsumerAsync(Identifier id, string consumerId, long nextSnapshot, CancellationToken ct);

    /// <param name="key">Typed primary-key values in primary-key order.</param>
    Task<LookupOutcome> LookupAsync(Identifier id, object?[] key, long? snapshotId, CancellationToken ct);
}
