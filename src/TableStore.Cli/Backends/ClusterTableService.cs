using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using TableStore.Abstractions;
using TableStore.Client;
using TableStore.Core;
using TableStore.Core.Data;
using TableStore.Core.Maintenance;
using TableStore.Core.Manifest;
using TableStore.Core.Scan;
using TableStore.Core.Schema;
using TableStore.Core.Streaming;
using TableStore.Core.Table;
using TableStore.Core.Utils;

namespace TableStore.Cli.Backends;

/// <summary>Cluster mode: an Orleans client to a gateway; the silos own the warehouse.</summary>
internal sealed class ClusterTableService(TableStoreConnection connection, string address) : ITableService
{
    private TableStoreClient Client => connection.Client;

    public string Location => $"the cluster at {address}";

    public static async Task<ClusterTableService> ConnectAsync(string address, string clusterId, TimeSpan connectTimeout, Action<TableStoreClientOptions> configure, CancellationToken ct)
    {
        try
        {
            return new(await TableStoreConnection.ConnectAsync(address, clusterId, clusterId, connectTimeout, configure, ct).ConfigureAwait(false), address);
        }
        catch (TableStoreException e) when (e is not InvalidInputException)
        {
            throw new TableStoreException($"{e.Message} (The cluster id comes from ${CliContext.ClusterIdVariable}; the time allowed from ${CliContext.ConnectTimeoutVariable}.)", e);
        }
    }

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
        try
        {
            var result = await Client.WriteAsync(id.FullName, rows, identity is null ? null : WriteIdOf(identity), ct).ConfigureAwait(false);
            return result.SnapshotId is { } s ? new WriteOutcome(s, result.AlreadyCommitted) : null;
        }
        catch (WriteOutcomeUnknownException e)
        {
            throw UnknownOutcome(id, identity, e);
        }
    }

    /// <summary>
    /// The CLI's retry advice for a write whose outcome is unknown: a rerun of the same command is safe only with
    /// --commit-user/--commit-id (the same write id); without them it is a new write.
    /// </summary>
    private static TableStoreException UnknownOutcome(Identifier id, WriteIdentity? identity, WriteOutcomeUnknownException e)
    {
        // The client's own advice (retry with the same write id) is replaced by what a CLI user can do.
        var what = Regex.Replace(ErrorText.Summary(e), @"\s*Retry(ing)? it with the same write id.*$", "");
        return identity is null
            ? new TableStoreException($"{what} The write had no --commit-user/--commit-id, so running it again would be a new write and could apply its rows twice: check 'tablestore snapshots {id.FullName}' first. Give writes --commit-user NAME --commit-id N to make a rerun safe.", e)
            : new TableStoreException($"{what} Running the same command again (same --commit-user and --commit-id) is safe: if it was committed, the rerun says so and writes nothing.", e);
    }

    /// <summary>
    /// The service's write id for a <c>--commit-user/--commit-id</c> pair: readable when the user name allows it,
    /// else a digest; the same pair always gives the same id, so a rerun is recognised.
    /// </summary>
    internal static string WriteIdOf(WriteIdentity identity)
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
        try
        {
            var result = await Client.OverwriteAsync(id.FullName, rows, partition, identity is null ? null : WriteIdOf(identity), ct).ConfigureAwait(false);
            return result.SnapshotId is { } s ? new WriteOutcome(s, result.AlreadyCommitted) : null;
        }
        catch (WriteOutcomeUnknownException e)
        {
            throw UnknownOutcome(id, identity, e);
        }
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
                catch (OperationCanceledException) when (!ct.IsCancellationRequested) { yield break; }
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

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}
