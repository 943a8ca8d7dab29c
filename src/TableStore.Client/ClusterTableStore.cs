using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using TableStore.Abstractions;
using TableStore.Core;
using TableStore.Core.Api;
using TableStore.Core.Data;
using TableStore.Core.Maintenance;
using TableStore.Core.Manifest;
using TableStore.Core.Scan;
using TableStore.Core.Schema;
using TableStore.Core.Streaming;
using TableStore.Core.Table;
using TableStore.Core.Tags;
using TableStore.Core.Consumers;

namespace TableStore.Client;

/// <summary>
/// The table API over a running cluster (an Orleans client to a gateway; the silos own the warehouse). Every call has
/// a deadline (<see cref="TableStoreClientOptions"/>). Create one with <see cref="ConnectAsync"/>, or over the
/// <see cref="TableStoreClient"/> of a host that is already a cluster client.
/// </summary>
public sealed class ClusterTableStore : ITableStore
{
    private readonly TableStoreConnection? _connection;

    /// <param name="location">How the cluster is named in messages (e.g. its gateway address).</param>
    public ClusterTableStore(TableStoreClient client, string location)
    {
        Client = client;
        Location = location;
    }

    private ClusterTableStore(TableStoreConnection connection, string gateway) : this(connection.Client, $"the cluster at {gateway}") =>
        _connection = connection;

    /// <summary>The grain client underneath, for what only a cluster offers (e.g. subscriptions with callbacks).</summary>
    public TableStoreClient Client { get; }

    public string Location { get; }

    /// <summary>Connects to the gateway at <c>host:port</c> (see <see cref="TableStoreConnection.ConnectAsync"/>); disposing this disconnects.</summary>
    public static async Task<ClusterTableStore> ConnectAsync(string gateway, string clusterId, string serviceId, TimeSpan connectTimeout,
        Action<TableStoreClientOptions>? configure = null, ConnectionTls? tls = null, CancellationToken ct = default) =>
        new(await TableStoreConnection.ConnectAsync(gateway, clusterId, serviceId, connectTimeout, configure, tls, ct).ConfigureAwait(false), gateway);

    public Task<TableSchema> CreateTableAsync(Identifier id, TableDefinition definition, CancellationToken ct) =>
        Client.CreateTableAsync(id.FullName, new TableSpec(
            definition.Columns.Select(c => new ColumnSpec(c.Name, c.Type.ToString())).ToList(),
            definition.PrimaryKeys ?? [], definition.PartitionKeys ?? [], definition.Buckets,
            definition.Options ?? new Dictionary<string, string>()));

    public Task<IReadOnlyList<string>> ListTablesAsync(CancellationToken ct) => Client.ListTablesAsync();

    public Task<(TableSchema Schema, long? LatestSnapshotId)> DescribeAsync(Identifier id, CancellationToken ct) => Client.DescribeAsync(id.FullName);

    public Task DropTableAsync(Identifier id, CancellationToken ct) => Client.DropTableAsync(id.FullName);

    public Task<TableSchema> GetSchemaAsync(Identifier id, CancellationToken ct) => Client.GetSchemaAsync(id.FullName);

    public async Task<WriteOutcome?> WriteAsync(Identifier id, List<ChangeRow> rows, WriteIdentity? identity, CancellationToken ct)
    {
        var result = await Client.WriteAsync(id.FullName, rows, identity is null ? null : WriteIdOf(identity), ct).ConfigureAwait(false);
        return result.SnapshotId is { } s ? new WriteOutcome(s, result.AlreadyCommitted) : null;
    }

    public async Task<WriteOutcome?> WriteAsync(Identifier id, RowSource rows, WriteIdentity? identity, IProgress<long>? progress, CancellationToken ct)
    {
        // Read once: the staged parts, not the source, are what a commit that must start again reads.
        var result = await Client.WriteAsync(id.FullName, rows.Open(ct), identity is null ? null : WriteIdOf(identity), progress, ct).ConfigureAwait(false);
        return result.SnapshotId is { } s ? new WriteOutcome(s, result.AlreadyCommitted) : null;
    }

    /// <summary>
    /// The service's write id for a <see cref="WriteIdentity"/>: readable when the user name allows it,
    /// else a digest; the same pair always gives the same id, so a rerun is recognised.
    /// </summary>
    public static string WriteIdOf(WriteIdentity identity)
    {
        var readable = $"{identity.CommitUser}-{identity.CommitId}";
        if (readable.Length <= 64 && readable.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return readable;
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{identity.CommitUser}\n{identity.CommitId}")))[..40];
    }

    public async Task<ScanOutcome> ScanAsync(Identifier id, ScanOptions options, CancellationToken ct)
    {
        var scan = await Client.ScanAsync(id.FullName, new ScanRequest
        {
            SnapshotId = options.SnapshotId,
            AsOfMillis = options.AsOf?.ToUnixTimeMilliseconds(),
            Columns = options.Columns,
            Filter = options.Filter,
            Limit = options.Limit,
            Tag = options.Tag,
        }, ct).ConfigureAwait(false);
        return new ScanOutcome(scan.Columns, scan.SnapshotId, scan.Rows);
    }

    public Task<IReadOnlyList<Snapshot>> ListSnapshotsAsync(Identifier id, CancellationToken ct) => Client.ListSnapshotsAsync(id.FullName);

    public async Task<WriteOutcome?> OverwriteAsync(Identifier id, List<ChangeRow> rows, string? partition, WriteIdentity? identity, CancellationToken ct)
    {
        var result = await Client.OverwriteAsync(id.FullName, rows, partition, identity is null ? null : WriteIdOf(identity), ct).ConfigureAwait(false);
        return result.SnapshotId is { } s ? new WriteOutcome(s, result.AlreadyCommitted) : null;
    }

    public async Task<WriteOutcome?> OverwriteAsync(Identifier id, RowSource rows, string? partition, WriteIdentity? identity, IProgress<long>? progress, CancellationToken ct)
    {
        var result = await Client.OverwriteAsync(id.FullName, rows.Open(ct), partition, identity is null ? null : WriteIdOf(identity), progress, ct).ConfigureAwait(false);
        return result.SnapshotId is { } s ? new WriteOutcome(s, result.AlreadyCommitted) : null;
    }

    public Task<RescaleOutcome> RescaleAsync(Identifier id, int buckets, string? partition, CancellationToken ct) =>
        Client.RescaleAsync(id.FullName, buckets, partition);

    public Task<TableSchema> AlterTableAsync(Identifier id, IReadOnlyList<SchemaChange> changes, CancellationToken ct) =>
        Client.AlterTableAsync(id.FullName, TableAlteration.From(changes));

    // Runs on a silo next to the data; progress is not streamed back, the reply carries the totals.
    public Task<CompactOutcome> CompactAsync(Identifier id, bool full, string? partition, IProgress<CompactProgress>? progress, CancellationToken ct) =>
        Client.CompactAsync(id.FullName, full, partition);

    public Task<ExpireOutcome> ExpireAsync(Identifier id, ExpireOptions options, CancellationToken ct) =>
        Client.ExpireAsync(id.FullName, options.RetainLast, options.OlderThan);

    public Task<OrphanCleanOutcome> CleanOrphansAsync(Identifier id, OrphanCleanOptions options, CancellationToken ct) =>
        Client.CleanOrphansAsync(id.FullName, options.OlderThan, options.DryRun);

    /// <summary>
    /// An Orleans stream subscription whose batches are handed over one at a time: a batch counts as processed (and
    /// the consumer's progress moves past it) when the next one is asked for, as in embedded mode.
    /// </summary>
    public async IAsyncEnumerable<ChangeBatch> StreamAsync(Identifier id, StreamingOptions options, [EnumeratorCancellation] CancellationToken ct)
    {
        // Unbounded: the subscription's first catch-up delivers before this reader starts.
        var channel = Channel.CreateUnbounded<ChangeBatch>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        await using var subscription = await Client.SubscribeAsync(id.FullName, b => channel.Writer.WriteAsync(b, ct).AsTask(), new SubscriptionOptions
        {
            Start = options.Start.ToString(),
            ConsumerId = options.ConsumerId,
            RecordProgress = false,
            CatchUpInterval = TimeSpan.FromMilliseconds(500),
        }).ConfigureAwait(false);
        _ = subscription.Completion.ContinueWith(t => channel.Writer.TryComplete(t.Exception?.InnerException), TaskScheduler.Default);
        while (true)
        {
            if (!channel.Reader.TryRead(out var batch))
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
                if (options.IdleTimeout is { } timeout) idle.CancelAfter(timeout);
                try { batch = await channel.Reader.ReadAsync(idle.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    // Idle, or unanswered: a stream that ends must say which.
                    if (subscription.Unanswered is { } e)
                        throw new TableStoreException(string.Create(CultureInfo.InvariantCulture,
                            $"The cluster stopped answering while {id.FullName} was followed: no snapshot for {options.IdleTimeout!.Value.TotalSeconds:0.#} s and its last catch-up failed ({ErrorText.Summary(e)}). Follow it again once the cluster answers; with a consumer id it resumes after the last snapshot delivered."), e).WithRetryable(true);
                    yield break;
                }
                catch (ChannelClosedException e) when (e.InnerException is { } inner) { throw inner; }
            }
            yield return batch;
            if (options.ConsumerId is { } consumer) await Client.SetConsumerAsync(id.FullName, consumer, batch.SnapshotId + 1).ConfigureAwait(false);
        }
    }

    public Task<IReadOnlyList<Consumer>> ListConsumersAsync(Identifier id, CancellationToken ct) => Client.ListConsumersAsync(id.FullName);

    public Task DropConsumerAsync(Identifier id, string consumerId, CancellationToken ct) => Client.DropConsumerAsync(id.FullName, consumerId);

    public Task SetConsumerAsync(Identifier id, string consumerId, long nextSnapshot, CancellationToken ct) => Client.SetConsumerAsync(id.FullName, consumerId, nextSnapshot);

    public Task<Tag> CreateTagAsync(Identifier id, string name, long? snapshotId, CancellationToken ct) => Client.CreateTagAsync(id.FullName, name, snapshotId);

    public Task DeleteTagAsync(Identifier id, string name, CancellationToken ct) => Client.DeleteTagAsync(id.FullName, name);

    public Task<IReadOnlyList<Tag>> ListTagsAsync(Identifier id, CancellationToken ct) => Client.ListTagsAsync(id.FullName);

    public async Task<LookupOutcome> LookupAsync(Identifier id, object?[] key, long? snapshotId, CancellationToken ct)
    {
        var reply = await Client.LookupAsync(id.FullName, key, snapshotId).ConfigureAwait(false);
        return new LookupOutcome(reply.SnapshotId, reply.Row);
    }

    public ValueTask DisposeAsync() => _connection?.DisposeAsync() ?? ValueTask.CompletedTask;
}
