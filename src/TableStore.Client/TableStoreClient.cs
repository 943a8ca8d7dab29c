using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;
using TableStore.Abstractions;
using TableStore.Core;
using TableStore.Core.Api;
using TableStore.Core.Consumers;
using TableStore.Core.Lookup;
using TableStore.Core.Maintenance;
using TableStore.Core.Manifest;
using TableStore.Core.Schema;
using TableStore.Core.Table;
using TableStore.Core.Tags;

namespace TableStore.Client;

/// <summary>
/// The table API (<see cref="ITableStore"/>) over a running cluster, usable in a client process or inside a silo:
/// the silos own the warehouse, this asks their grains. Every call has a deadline (<see cref="TableStoreClientOptions"/>).
/// Writes return once their rows are committed, and are retried with the same write id when a retry can help;
/// lookups go straight to the key's bucket and always see this client's own writes. Beyond the interface it offers
/// what only a cluster has: <see cref="SubscribeAsync"/>, a push subscription on the table's Orleans stream.
/// Get one from DI (<see cref="TableStoreClientHostingExtensions"/>) in a host that is an Orleans client or silo, or
/// from <see cref="ConnectAsync"/> in a program that is not.
/// </summary>
public sealed partial class TableStoreClient : ITableStore
{
    private readonly IGrainFactory _grains;
    private readonly TableStoreClientOptions _options;
    private readonly ConcurrentDictionary<string, Task<TableHandle>> _tables = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _lastWritten = new(StringComparer.Ordinal);
    private readonly IServiceProvider? _services;

    /// <summary>Set when <see cref="ConnectAsync"/> made this client: disposing it disconnects.</summary>
    private TableStoreConnection? _connection;

    /// <param name="services">Where the stream provider for subscriptions is found (the client's or silo's services).</param>
    public TableStoreClient(IGrainFactory grains, IOptions<TableStoreClientOptions>? options = null, IServiceProvider? services = null)
    {
        _grains = grains;
        _options = options?.Value ?? new TableStoreClientOptions();
        _options.Validate();
        _services = services;
    }

    public string Location { get; private set; } = "the cluster";

    /// <summary>How long a connect may take by default: a live silo answers in milliseconds.</summary>
    public static TimeSpan DefaultConnectTimeout => TableStoreConnection.DefaultConnectTimeout;

    /// <summary>The longest connect timeout accepted.</summary>
    public static TimeSpan MaxConnectTimeout => TableStoreConnection.MaxConnectTimeout;

    /// <summary>
    /// Connects to a cluster as an Orleans client of its own; disposing the client disconnects. The whole connect has
    /// one deadline, and a gateway that refuses, belongs to another cluster or does not answer fails it with an error
    /// that says which.
    /// </summary>
    /// <param name="gateway">
    /// <c>host:port</c> of a silo's gateway, or several separated by commas: the client then uses every one that
    /// answers and carries on through the others when one silo fails.
    /// </param>
    /// <param name="clusterId">Must match the silos' cluster id: a gateway refuses clients of another cluster.</param>
    /// <param name="connectTimeout">The whole connect (default <see cref="DefaultConnectTimeout"/>, at most <see cref="MaxConnectTimeout"/>).</param>
    /// <param name="configure">The client's own settings (timeouts, retries).</param>
    /// <param name="tls">TLS to the gateways (null: none), for silos with <c>TableStore:TlsCertificate</c>.</param>
    public static async Task<TableStoreClient> ConnectAsync(string gateway, string clusterId = TableStoreDefaults.ClusterId, string serviceId = TableStoreDefaults.ClusterId,
        TimeSpan? connectTimeout = null, Action<TableStoreClientOptions>? configure = null, ConnectionTls? tls = null, CancellationToken ct = default)
    {
        var connection = await TableStoreConnection.ConnectAsync(gateway, clusterId, serviceId, connectTimeout, configure, tls, ct).ConfigureAwait(false);
        var client = connection.Client;
        client._connection = connection;
        client.Location = $"the cluster at {gateway}";
        return client;
    }

    /// <summary>Disconnects a client made by <see cref="ConnectAsync"/>; one from DI belongs to its host, and this does nothing.</summary>
    public ValueTask DisposeAsync() =>
        // Taken first: the connection's host disposes its services, this client among them, while it stops.
        Interlocked.Exchange(ref _connection, null)?.DisposeAsync() ?? ValueTask.CompletedTask;

    private sealed record TableHandle(TableSchema Schema, KeyRouter Router);

    public async Task<TableSchema> CreateTableAsync(Identifier id, TableDefinition definition, CancellationToken ct)
    {
        var info = await _grains.GetGrain<ICatalogGrain>(GrainKeys.Catalog).CreateTableAsync(id.FullName, definition).WaitAsync(ct).ConfigureAwait(false);
        Forget(info.Name);
        return info.Schema;
    }

    public async Task<TableSchema> AlterTableAsync(Identifier id, IReadOnlyList<SchemaChange> changes, CancellationToken ct)
    {
        var info = await _grains.GetGrain<ICatalogGrain>(GrainKeys.Catalog).AlterTableAsync(id.FullName, TableAlteration.From(changes)).WaitAsync(ct).ConfigureAwait(false);
        _tables.TryRemove(info.Name, out _);
        return info.Schema;
    }

    public async Task DropTableAsync(Identifier id, CancellationToken ct)
    {
        await _grains.GetGrain<ICatalogGrain>(GrainKeys.Catalog).DropTableAsync(id.FullName).WaitAsync(ct).ConfigureAwait(false);
        Forget(id.FullName);
    }

    public Task<IReadOnlyList<string>> ListTablesAsync(CancellationToken ct) =>
        RetryAsync("list the tables", () => _grains.GetGrain<ICatalogGrain>(GrainKeys.Catalog).ListTablesAsync(), ct);

    /// <summary>The table's schema and latest snapshot id, read now.</summary>
    public async Task<(TableSchema Schema, long? LatestSnapshotId)> DescribeAsync(Identifier id, CancellationToken ct)
    {
        var info = await RetryAsync($"describe {id.FullName}", () => Table(id).GetInfoAsync(), ct).ConfigureAwait(false);
        return (info.Schema, info.LatestSnapshotId);
    }

    /// <summary>The schema, cached by this client (fetched on first use).</summary>
    public async Task<TableSchema> GetSchemaAsync(Identifier id, CancellationToken ct) => (await HandleAsync(id.FullName, ct).ConfigureAwait(false)).Schema;

    /// <summary>Changes the table's bucket count and rewrites its data (or one partition's) on the cluster.</summary>
    public async Task<RescaleOutcome> RescaleAsync(Identifier id, int buckets, IReadOnlyDictionary<string, string>? partition, CancellationToken ct)
    {
        var outcome = await Table(id).RescaleAsync(buckets, partition).WaitAsync(ct).ConfigureAwait(false);
        Forget(id.FullName);
        return outcome;
    }

    public Task<IReadOnlyList<Snapshot>> ListSnapshotsAsync(Identifier id, CancellationToken ct) =>
        RetryAsync($"list the snapshots of {id.FullName}", () => Table(id).ListSnapshotsAsync(), ct);

    public Task<Tag> CreateTagAsync(Identifier id, string name, long? snapshotId, CancellationToken ct) => Table(id).CreateTagAsync(name, snapshotId).WaitAsync(ct);

    public Task DeleteTagAsync(Identifier id, string name, CancellationToken ct) => Table(id).DeleteTagAsync(name).WaitAsync(ct);

    public Task<IReadOnlyList<Tag>> ListTagsAsync(Identifier id, CancellationToken ct) => RetryAsync($"list the tags of {id.FullName}", () => Table(id).ListTagsAsync(), ct);

    /// <summary>Runs on a silo next to the data; progress is not streamed back, the reply carries the totals.</summary>
    public Task<CompactOutcome> CompactAsync(Identifier id, bool full, IReadOnlyDictionary<string, string>? partition, IProgress<CompactProgress>? progress, CancellationToken ct) =>
        Table(id).CompactAsync(new CompactRequest(full, partition)).WaitAsync(ct);

    public Task<ExpireOutcome> ExpireAsync(Identifier id, ExpireOptions options, CancellationToken ct) =>
        Table(id).ExpireAsync(new ExpireRequest(options.RetainLast, options.OlderThan)).WaitAsync(ct);

    public Task<OrphanCleanOutcome> CleanOrphansAsync(Identifier id, OrphanCleanOptions options, CancellationToken ct) =>
        Table(id).CleanOrphansAsync(new OrphansRequest(options.OlderThan, options.DryRun)).WaitAsync(ct);

    public Task<IReadOnlyList<Consumer>> ListConsumersAsync(Identifier id, CancellationToken ct) =>
        RetryAsync($"list the consumers of {id.FullName}", () => Table(id).ListConsumersAsync(), ct);

    public Task SetConsumerAsync(Identifier id, string consumerId, long nextSnapshot, CancellationToken ct) => Table(id).SetConsumerAsync(consumerId, nextSnapshot).WaitAsync(ct);

    public Task DropConsumerAsync(Identifier id, string consumerId, CancellationToken ct) => Table(id).DropConsumerAsync(consumerId).WaitAsync(ct);

    /// <summary>
    /// The row with this primary key (values in primary-key order, converted to the column types), or null.
    /// Without a snapshot id it reads the latest snapshot, never older than this client's last write to the table.
    /// </summary>
    public async Task<LookupOutcome> LookupAsync(Identifier id, object?[] key, long? snapshotId, CancellationToken ct)
    {
        var name = id.FullName;
        var handle = await HandleAsync(name, ct).ConfigureAwait(false);
        var typed = LookupKeys.TypeKey(handle.Schema, key);
        var (partition, bucket) = handle.Router.Locate(typed);
        var grain = _grains.GetGrain<ILookupGrain>(GrainKeys.Bucket(name, handle.Schema.PartitionKeys, partition, bucket));
        var request = new LookupRequest(typed, snapshotId, _lastWritten.GetValueOrDefault(name));
        return await RetryAsync($"look up a key in {name}", () => grain.LookupAsync(request), ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs an idempotent call (a read, a schema fetch), retrying cluster-level failures (a silo that just died and
    /// is not yet declared dead, a timeout) like writes are retried; a final failure says what to do.
    /// </summary>
    private async Task<T> RetryAsync<T>(string what, Func<Task<T>> call, CancellationToken ct)
    {
        var delay = _options.RetryDelay;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(_options.CallTimeout);
        for (int attempt = 1; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                try { return await call().WaitAsync(deadline.Token).ConfigureAwait(false); }
                catch (Exception e) when (e is TimeoutException or OrleansException)
                {
                    if (attempt >= _options.MaxWriteAttempts)
                        throw new TableStoreException($"The cluster could not {what}: {ErrorText.Summary(e)} Retry; after a silo failure the cluster needs some seconds to recover.", e);
                    await Task.Delay(delay, deadline.Token).ConfigureAwait(false);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryDelay.Ticks));
                }
            }
            catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
            {
                throw NoAnswer(what, e);
            }
        }
    }

    private static string Size(long bytes) => bytes >= 1 << 20
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB");

    private TableStoreException NoAnswer(string what, Exception e) => new TableStoreException(string.Create(CultureInfo.InvariantCulture,
        $"The cluster did not answer within {_options.CallTimeout.TotalSeconds:0.#} s when asked to {what}: a silo may be paused or overloaded. Retry once it answers."), e).WithRetryable(true);

    /// <summary>
    /// Errors after which the same write may succeed: the engine's own say so (<see cref="TableStoreException.IsRetryable"/>),
    /// and cluster failures (a timeout, a silo that died); never bad input or a missing table.
    /// </summary>
    /// <remarks>
    /// A <see cref="Orleans.Serialization.SerializerException"/> is a silo's reply it could not send or this client could
    /// not read: an unexpected failure on the silo (the load-and-fault test met a Polly timeout from inside Orleans
    /// that no codec knows), so the call's outcome is unknown, and every call here is safe to repeat (writes by id).
    /// </remarks>
    private static bool IsRetryable(Exception e) =>
        e is TableStoreException t ? t.IsRetryable : e is TimeoutException or OrleansException or Orleans.Serialization.SerializerException;

    /// <summary>A created or dropped table starts over: no cached schema, no snapshot floor from the old table's writes.</summary>
    private void Forget(string name)
    {
        _tables.TryRemove(name, out _);
        _lastWritten.TryRemove(name, out _);
    }

    private ITableGrain Table(Identifier id) => _grains.GetGrain<ITableGrain>(id.FullName);

    private async Task<TableHandle> HandleAsync(string name, CancellationToken ct)
    {
        var task = _tables.GetOrAdd(name, async n =>
        {
            var schema = (await RetryAsync($"read the schema of {n}", () => _grains.GetGrain<ITableGrain>(n).GetInfoAsync(), CancellationToken.None).ConfigureAwait(false)).Schema;
            return new TableHandle(schema, new KeyRouter(schema));
        });
        // The fetch is shared by every caller: one that stops waiting leaves it running for the others.
        try { return await task.WaitAsync(ct).ConfigureAwait(false); }
        catch when (task.IsFaulted || task.IsCanceled)
        {
            _tables.TryRemove(new KeyValuePair<string, Task<TableHandle>>(name, task));
            throw;
        }
    }
}
