using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using TableStore.Abstractions;
using TableStore.Core.Commit;
using TableStore.Core;
using TableStore.Core.Data;
using TableStore.Core.Lookup;
using TableStore.Core.Maintenance;
using TableStore.Core.Manifest;
using TableStore.Core.Schema;
using TableStore.Core.Serialization;
using TableStore.Core.Streaming;
using TableStore.Core.Table;
using TableStore.Core.Tags;
using TableStore.Core.Consumers;

namespace TableStore.Client;

/// <summary>
/// A typed facade over the TableStore grains, usable in a client process or inside a silo. Writes return once
/// their rows are committed, and are retried with the same write id when a retry can help; lookups go straight to
/// the key's bucket and always see this client's own writes.
/// </summary>
public sealed partial class TableStoreClient
{
    private readonly IGrainFactory _grains;
    private readonly TableStoreClientOptions _options;
    private readonly ConcurrentDictionary<string, Task<TableHandle>> _tables = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _lastWritten = new(StringComparer.Ordinal);

    /// <summary>
    /// When this client first sent each recent write id (a timestamp): a later attempt, or a later call with the same
    /// id (the application's retry after an unknown outcome), is a retry and says how long ago the write was first sent.
    /// </summary>
    private readonly ConcurrentDictionary<string, long> _firstSent = new(StringComparer.Ordinal);
    private const int RememberedWriteIds = 100_000;
    private static readonly TimeSpan RememberWriteIdsFor = TimeSpan.FromHours(1);

    private readonly IServiceProvider? _services;

    /// <param name="services">Where the stream provider for subscriptions is found (the client's or silo's services).</param>
    public TableStoreClient(IGrainFactory grains, IOptions<TableStoreClientOptions>? options = null, IServiceProvider? services = null)
    {
        _grains = grains;
        _options = options?.Value ?? new TableStoreClientOptions();
        _options.Validate();
        _services = services;
    }

    /// <summary>
    /// Subscribes to a table's changes (see <see cref="TableSubscription"/>): from the table's Orleans stream on the
    /// provider named <see cref="TableStoreClientOptions.StreamProvider"/> when this process has it, and from the lake
    /// for everything else. Dispose the subscription to stop.
    /// </summary>
    public Task<TableSubscription> SubscribeAsync(string table, Func<ChangeBatch, Task> onBatch, SubscriptionOptions? options = null)
    {
        var streams = _services is null || string.IsNullOrEmpty(_options.StreamProvider) ? null : _services.GetKeyedService<IStreamProvider>(_options.StreamProvider);
        return TableSubscription.StartAsync(_grains, streams, Name(table), onBatch, options ?? new SubscriptionOptions(), _options.CallTimeout,
            _services?.GetService<ILoggerFactory>()?.CreateLogger<TableSubscription>());
    }

    public async Task<IReadOnlyList<Consumer>> ListConsumersAsync(string table) =>
        await RetryAsync($"list the consumers of {table}", () => Table(table).ListConsumersAsync()).ConfigureAwait(false);

    /// <summary>Records that the consumer finished every snapshot before <paramref name="nextSnapshot"/>.</summary>
    public Task SetConsumerAsync(string table, string consumerId, long nextSnapshot) => Table(table).SetConsumerAsync(consumerId, nextSnapshot);

    public Task DropConsumerAsync(string table, string consumerId) => Table(table).DropConsumerAsync(consumerId);

    private sealed record TableHandle(TableSchema Schema, KeyRouter Router);

    public async Task<TableSchema> CreateTableAsync(string table, TableSpec spec)
    {
        var info = await _grains.GetGrain<ICatalogGrain>(GrainKeys.Catalog).CreateTableAsync(Name(table), spec).ConfigureAwait(false);
        Forget(info.Name);
        return info.Schema;
    }

    public async Task<TableSchema> AlterTableAsync(string table, TableAlteration alteration)
    {
        var info = await _grains.GetGrain<ICatalogGrain>(GrainKeys.Catalog).AlterTableAsync(Name(table), alteration).ConfigureAwait(false);
        _tables.TryRemove(info.Name, out _);
        return info.Schema;
    }

    public async Task DropTableAsync(string table)
    {
        await _grains.GetGrain<ICatalogGrain>(GrainKeys.Catalog).DropTableAsync(Name(table)).ConfigureAwait(false);
        Forget(Name(table));
    }

    public Task<IReadOnlyList<string>> ListTablesAsync() =>
        RetryAsync("list the tables", () => _grains.GetGrain<ICatalogGrain>(GrainKeys.Catalog).ListTablesAsync());

    /// <summary>The table's schema and latest snapshot id, read now.</summary>
    public async Task<(TableSchema Schema, long? LatestSnapshotId)> DescribeAsync(string table)
    {
        var info = await RetryAsync($"describe {table}", () => Table(table).GetInfoAsync()).ConfigureAwait(false);
        return (info.Schema, info.LatestSnapshotId);
    }

    /// <summary>The schema, cached by this client (fetched on first use).</summary>
    public async Task<TableSchema> GetSchemaAsync(string table) => (await HandleAsync(table).ConfigureAwait(false)).Schema;

    /// <summary>
    /// Writes rows as one atomic write and returns once they are committed. Failures a retry can fix (a silo
    /// failed, a timeout, an unknown commit outcome) are retried with the same write id; bad rows are not.
    /// </summary>
    /// <param name="writeId">Names the write for retries across processes; null: a new id (retried safely within this call).</param>
    public async Task<WriteResult> WriteAsync(string table, IReadOnlyList<ChangeRow> rows, string? writeId = null, CancellationToken ct = default)
    {
        var name = Name(table);
        var kinds = new byte[rows.Count];
        var values = new object?[rows.Count][];
        for (int i = 0; i < rows.Count; i++) (kinds[i], values[i]) = ((byte)rows[i].Kind, rows[i].Values);
        writeId ??= WriteIds.New();
        byte[] encoded;
        using (var deadline = WriteDeadline(ct))
        {
            var columns = await ColumnsForWriteAsync(name, writeId, deadline.Token, ct).ConfigureAwait(false);
            encoded = RowBatchCodec.Encode(kinds, values, columns);
            if (encoded.Length <= _options.MaxWriteBytes)
                return await SendAsync(name, new WriteRequest(writeId, encoded), deadline.Token, ct).ConfigureAwait(false);
        }
        // Larger than one message: uploaded in parts and committed once.
        return await UploadAsync(name, Batches(rows, PartRows(rows.Count, encoded.Length)), writeId, UploadTarget.Append, null, ct).ConfigureAwait(false);
    }

    /// <summary>How many of <paramref name="rows"/> rows, <paramref name="encodedBytes"/> encoded, make one upload part.</summary>
    private int PartRows(int rows, int encodedBytes) => Math.Max(1, (int)(rows * (long)Math.Min(_options.UploadPartBytes, _options.MaxWriteBytes) / Math.Max(1, encodedBytes)));

    /// <summary>
    /// Writes rows of any size as one atomic write: the batches are sent in parts of about
    /// <see cref="TableStoreClientOptions.UploadPartBytes"/> as they come (memory here: one part), staged on the
    /// table's store, and committed once. Rows that fit in one message are sent as an ordinary write. A write id makes
    /// the whole write safe to run again: a rerun of a write that committed says so and commits nothing twice.
    /// </summary>
    /// <param name="progress">Rows sent so far, after each part.</param>
    public Task<WriteResult> WriteAsync(string table, IAsyncEnumerable<IReadOnlyList<ChangeRow>> batches, string? writeId = null, IProgress<long>? progress = null, CancellationToken ct = default) =>
        UploadAsync(Name(table), batches, writeId ?? WriteIds.New(), UploadTarget.Append, progress, ct);

    private static async IAsyncEnumerable<IReadOnlyList<ChangeRow>> Batches(IReadOnlyList<ChangeRow> rows, int size)
    {
        for (int i = 0; i < rows.Count; i += size)
            yield return rows.Skip(i).Take(size).ToList();
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>
    /// INSERT OVERWRITE: the rows replace the whole table, or the partitions <paramref name="partition"/> (<c>k=v[,k=v]</c>)
    /// selects, in one commit. No rows empties them. Retried like a write; a retry of one that landed says so.
    /// </summary>
    public async Task<WriteResult> OverwriteAsync(string table, IReadOnlyList<ChangeRow> rows, string? partition = null, string? writeId = null, CancellationToken ct = default)
    {
        var name = Name(table);
        writeId ??= WriteIds.New();
        byte[] encoded;
        using (var deadline = WriteDeadline(ct))
        {
            var columns = await ColumnsForWriteAsync(name, writeId, deadline.Token, ct).ConfigureAwait(false);
            encoded = RowBatchCodec.Encode(rows.Select(r => (byte)r.Kind).ToArray(), rows.Select(r => r.Values).ToList(), columns);
            if (encoded.Length <= _options.MaxWriteBytes)
                return await SendAsync(name, new WriteRequest(writeId, encoded) { Overwrite = true, OverwritePartition = partition }, deadline.Token, ct).ConfigureAwait(false);
        }
        return await UploadAsync(name, Batches(rows, PartRows(rows.Count, encoded.Length)), writeId, new UploadTarget(true, partition), null, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// INSERT OVERWRITE of any size: the batches are uploaded in parts like <see cref="WriteAsync(string, IAsyncEnumerable{IReadOnlyList{ChangeRow}}, string?, IProgress{long}?, CancellationToken)"/>
    /// and replace the whole table, or the partitions <paramref name="partition"/> selects, in one commit.
    /// </summary>
    public Task<WriteResult> OverwriteAsync(string table, IAsyncEnumerable<IReadOnlyList<ChangeRow>> batches, string? partition = null, string? writeId = null,
        IProgress<long>? progress = null, CancellationToken ct = default) =>
        UploadAsync(Name(table), batches, writeId ?? WriteIds.New(), new UploadTarget(true, partition), progress, ct);

    /// <summary>Changes the table's bucket count and rewrites its data (or one partition's) on the cluster.</summary>
    public async Task<RescaleOutcome> RescaleAsync(string table, int buckets, string? partition = null)
    {
        var name = Name(table);
        var outcome = await Table(name).RescaleAsync(buckets, partition).ConfigureAwait(false);
        Forget(name);
        return outcome;
    }

    /// <summary>
    /// A write's deadline, over every step and attempt: a silo that stopped answering (paused, overloaded) holds
    /// each call until Orleans' response timeout, and the retries would multiply that.
    /// </summary>
    private CancellationTokenSource WriteDeadline(CancellationToken ct)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(_options.WriteTimeout);
        return deadline;
    }

    /// <summary>The columns rows are encoded for; nothing is sent yet, so running out of time here is "not written".</summary>
    private async Task<List<string>> ColumnsForWriteAsync(string name, string writeId, CancellationToken deadline, CancellationToken ct)
    {
        try
        {
            return [.. (await HandleAsync(name, deadline).ConfigureAwait(false)).Schema.Fields.Select(f => f.Name)];
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new WriteNotCommittedException(string.Create(CultureInfo.InvariantCulture,
                $"Write {writeId} to {name} was not sent: the cluster did not answer within {_options.WriteTimeout.TotalSeconds:0.#} s while the table's schema was read. Nothing was written; retry it when the cluster answers."), e);
        }
    }

    /// <summary>Null for the first attempt of a write id; for a retry, how long ago it was first sent.</summary>
    private TimeSpan? RetryAge(string table, string writeId)
    {
        var now = TimeProvider.System.GetTimestamp();
        var key = table + "/" + writeId;
        if (!_firstSent.TryAdd(key, now)) return _firstSent.TryGetValue(key, out var first) ? TimeProvider.System.GetElapsedTime(first) : TimeSpan.Zero;
        if (_firstSent.Count > RememberedWriteIds)
        {
            foreach (var (k, sent) in _firstSent)
                if (TimeProvider.System.GetElapsedTime(sent) > RememberWriteIdsFor) _firstSent.TryRemove(k, out _);
            // Still too many: forget all; a retry then relies on the silos' recent commits alone, as any new client does.
            if (_firstSent.Count > RememberedWriteIds) _firstSent.Clear();
        }
        return null;
    }

    private async Task<WriteResult> SendAsync(string name, WriteRequest request, CancellationToken deadline, CancellationToken ct)
    {
        if (request.Rows.Length > _options.MaxWriteBytes)
            throw new InvalidInputException(string.Create(CultureInfo.InvariantCulture,
                $"Write {request.WriteId} to {name} is {Size(request.Rows.Length)} encoded, more than the {Size(_options.MaxWriteBytes)} one request can carry to the cluster (TableStoreClientOptions.MaxWriteBytes). Nothing was sent."));
        var delay = _options.RetryDelay;
        Exception? last = null;
        for (int attempt = 1; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                try
                {
                    // A retry says how long ago the write was first sent: the silo then finds a commit of it however
                    // many snapshots were committed since.
                    var sent = RetryAge(name, request.WriteId) is { } age ? request with { SinceFirstAttempt = age } : request;
                    var result = await Table(name).WriteAsync(sent).WaitAsync(deadline).ConfigureAwait(false);
                    if (result.SnapshotId is { } id) _lastWritten.AddOrUpdate(name, id, (_, old) => Math.Max(old, id));
                    return result;
                }
                catch (Exception e) when (IsRetryable(e))
                {
                    if (attempt >= _options.MaxWriteAttempts)
                    {
                        if (e is TableStoreException) throw;
                        throw new WriteOutcomeUnknownException($"Write {request.WriteId} to {name} failed {attempt} times: {ErrorText.Summary(e)} Retry it with the same write id: if it was committed, the retry says so and writes nothing again.", e);
                    }
                    last = e;
                }
                await Task.Delay(delay, deadline).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryDelay.Ticks));
            }
            catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
            {
                // The deadline passed during an attempt or the wait before the next: the request was sent at least once.
                var tries = last is null ? $"{attempt} attempt{(attempt == 1 ? "" : "s")}" : $"{attempt} attempts, an earlier one failing with: {ErrorText.Summary(last)}";
                throw new WriteOutcomeUnknownException(string.Create(CultureInfo.InvariantCulture,
                    $"Write {request.WriteId} to {name} got no answer within {_options.WriteTimeout.TotalSeconds:0.#} s ({tries}): it may or may not have been committed. Retrying it with the same write id is safe: if it was committed, the retry says so and writes nothing again."), e);
            }
        }
    }

    /// <summary>
    /// Runs an idempotent call (a read, a schema fetch), retrying cluster-level failures (a silo that just died and
    /// is not yet declared dead, a timeout) like writes are retried; a final failure says what to do.
    /// </summary>
    private async Task<T> RetryAsync<T>(string what, Func<Task<T>> call, CancellationToken ct = default)
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
    private static bool IsRetryable(Exception e) => e is TableStoreException t ? t.IsRetryable : e is TimeoutException or OrleansException;

    /// <summary>Reads a snapshot (default latest) with projection, filter and limit, page by page.</summary>
    public async Task<ClusterScan> ScanAsync(string table, ScanRequest request, CancellationToken ct = default)
    {
        // Until the first page arrives nothing was consumed, so a failed start is retried like any read.
        var pages = await RetryAsync($"scan {table}", async () =>
        {
            var e = _grains.GetGrain<IScanGrain>(GrainKeys.Scan(Name(table))).ScanAsync(request).GetAsyncEnumerator(ct);
            try
            {
                if (!await e.MoveNextAsync().ConfigureAwait(false) || e.Current.Header is null)
                    throw new TableStoreException($"The scan of {table} returned no header (a service bug).");
                return e;
            }
            catch
            {
                await e.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }, ct).ConfigureAwait(false);
        var header = pages.Current.Header!;
        var columns = header.Columns.Select((c, i) => new DataField(i, c.Name, DataType.Parse(c.Type))).ToList();
        return new ClusterScan(columns, header.SnapshotId, Rows(pages, pages.Current.Rows, $"send the next rows of the scan of {table}", ct));
    }

    /// <summary>The scan's rows, page after page; each page must come within <see cref="TableStoreClientOptions.CallTimeout"/>.</summary>
    private async IAsyncEnumerable<object?[]> Rows(IAsyncEnumerator<ScanPage> pages, object?[][] first, string what, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var _ = pages.ConfigureAwait(false);
        foreach (var row in first) yield return row;
        while (await NextPageAsync(pages, what, ct).ConfigureAwait(false))
            foreach (var row in pages.Current.Rows) yield return row;
    }

    private async Task<bool> NextPageAsync(IAsyncEnumerator<ScanPage> pages, string what, CancellationToken ct)
    {
        try
        {
            return await pages.MoveNextAsync().AsTask().WaitAsync(_options.CallTimeout, ct).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw NoAnswer(what, e);
        }
    }

    public Task<IReadOnlyList<Snapshot>> ListSnapshotsAsync(string table) =>
        RetryAsync($"list the snapshots of {table}", () => Table(table).ListSnapshotsAsync());

    /// <summary>Tags a snapshot of the table (default: the latest) and returns the tag.</summary>
    public Task<Tag> CreateTagAsync(string table, string name, long? snapshotId = null) => Table(table).CreateTagAsync(name, snapshotId);

    public Task DeleteTagAsync(string table, string name) => Table(table).DeleteTagAsync(name);

    public Task<IReadOnlyList<Tag>> ListTagsAsync(string table) => RetryAsync($"list the tags of {table}", () => Table(table).ListTagsAsync());

    /// <summary>Compacts the table on the cluster (full, or what the triggers pick), optionally one partition (<c>k=v[,k=v]</c>).</summary>
    public Task<CompactOutcome> CompactAsync(string table, bool full = false, string? partition = null) =>
        Table(table).CompactAsync(new CompactRequest(full, partition));

    /// <summary>Expires snapshots beyond the last <paramref name="retainLast"/> (and older than <paramref name="olderThan"/>, when given).</summary>
    public Task<ExpireOutcome> ExpireAsync(string table, int retainLast, TimeSpan? olderThan = null) =>
        Table(table).ExpireAsync(new ExpireRequest(retainLast, olderThan));

    /// <summary>Lists (dry run) or removes files of the table that nothing references and that are older than <paramref name="olderThan"/>.</summary>
    public Task<OrphanCleanOutcome> CleanOrphansAsync(string table, TimeSpan olderThan, bool dryRun) =>
        Table(table).CleanOrphansAsync(new OrphansRequest(olderThan, dryRun));

    /// <summary>
    /// The row with this primary key (values in primary-key order; converted to the column types), or null.
    /// Without a snapshot id it reads the latest snapshot, never older than this client's last write to the table.
    /// </summary>
    public async Task<LookupReply> LookupAsync(string table, IReadOnlyList<object?> key, long? snapshotId = null)
    {
        var name = Name(table);
        var handle = await HandleAsync(name).ConfigureAwait(false);
        var typed = LookupKeys.TypeKey(handle.Schema, key);
        var (partition, bucket) = handle.Router.Locate(typed);
        var grain = _grains.GetGrain<ILookupGrain>(GrainKeys.Bucket(name, handle.Schema.PartitionKeys, partition, bucket));
        var request = new LookupRequest(typed, snapshotId, _lastWritten.GetValueOrDefault(name));
        return await RetryAsync($"look up a key in {name}", () => grain.LookupAsync(request)).ConfigureAwait(false);
    }

    /// <summary>A created or dropped table starts over: no cached schema, no snapshot floor from the old table's writes.</summary>
    private void Forget(string name)
    {
        _tables.TryRemove(name, out _);
        _lastWritten.TryRemove(name, out _);
    }

    private ITableGrain Table(string table) => _grains.GetGrain<ITableGrain>(Name(table));

    private static string Name(string table) => Identifier.Parse(table).FullName;

    private async Task<TableHandle> HandleAsync(string table, CancellationToken ct = default)
    {
        var name = Name(table);
        var task = _tables.GetOrAdd(name, async n =>
        {
            var schema = (await RetryAsync($"read the schema of {n}", () => Table(n).GetInfoAsync()).ConfigureAwait(false)).Schema;
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

