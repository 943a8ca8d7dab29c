using TableStore.Core.Data;
using TableStore.Core.Maintenance;
using TableStore.Core.Manifest;
using TableStore.Core.Scan;
using TableStore.Core.Schema;
using TableStore.Core.Streaming;
using TableStore.Core.Table;
using TableStore.Core.Utils;

namespace TableStore.Cli.Backends;

/// <summary>
/// What the commands need from TableStore, whether they open the warehouse themselves (embedded mode,
/// <c>--warehouse</c>) or ask a running cluster (<c>--cluster HOST:PORT</c>). Commands are written once, against this.
/// </summary>
internal interface ITableService : IAsyncDisposable
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

    /// <summary>INSERT OVERWRITE of the whole table or the partitions <paramref name="partition"/> (<c>k=v[,k=v]</c>) selects.</summary>
    Task<WriteOutcome?> OverwriteAsync(Identifier id, List<ChangeRow> rows, string? partition, WriteIdentity? identity, CancellationToken ct);

    Task<RescaleOutcome> RescaleAsync(Identifier id, int buckets, string? partition, CancellationToken ct);

    Task<ScanOutcome> ScanAsync(Identifier id, ScanOptions options, CancellationToken ct);
    Task<IReadOnlyList<Snapshot>> ListSnapshotsAsync(Identifier id, CancellationToken ct);

    Task<Tag> CreateTagAsync(Identifier id, string name, long? snapshotId, CancellationToken ct);
    Task DeleteTagAsync(Identifier id, string name, CancellationToken ct);
    Task<IReadOnlyList<Tag>> ListTagsAsync(Identifier id, CancellationToken ct);

    /// <param name="partition"><c>k=v[,k=v]</c> or null for every partition.</param>
    Task<CompactOutcome> CompactAsync(Identifier id, bool full, string? partition, IProgress<CompactProgress>? progress, CancellationToken ct);
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

/// <summary><c>--commit-user</c> and <c>--commit-id</c>: what makes a write safe to run again.</summary>
internal sealed record WriteIdentity(string CommitUser, long CommitId);

internal sealed record WriteOutcome(long SnapshotId, bool AlreadyCommitted);

internal sealed record ScanOutcome(IReadOnlyList<DataField> Columns, long? SnapshotId, IAsyncEnumerable<object?[]> Rows);

/// <summary>The row found (null: none) and the snapshot read (null: the table has no snapshot).</summary>
internal sealed record LookupOutcome(long? SnapshotId, object?[]? Row);
