using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TableStore.Abstractions;
using TableStore.Core;
using TableStore.Core.Api;
using TableStore.Core.Commit;
using TableStore.Core.Data;
using TableStore.Core.Serialization;
using TableStore.Core.Table;

namespace TableStore.Client;

/// <summary>Writes and overwrites: one request when the rows fit in one message, else an upload in parts (TableStoreClient.Upload.cs).</summary>
public sealed partial class TableStoreClient
{
    /// <summary>
    /// When this client first sent each recent write id (a timestamp): a later attempt, or a later call with the same
    /// id (the application's retry after an unknown outcome), is a retry and says how long ago the write was first sent.
    /// </summary>
    private readonly ConcurrentDictionary<string, long> _firstSent = new(StringComparer.Ordinal);
    private const int RememberedWriteIds = 100_000;
    private static readonly TimeSpan RememberWriteIdsFor = TimeSpan.FromHours(1);

    /// <summary>
    /// Writes rows as one atomic write and returns once they are committed. Failures a retry can fix (a silo
    /// failed, a timeout, an unknown commit outcome) are retried with the same write id; bad rows are not. Rows that
    /// do not fit in one message (<see cref="TableStoreClientOptions.MaxWriteBytes"/>) are uploaded in parts and
    /// committed once.
    /// </summary>
    /// <param name="identity">Names the write for reruns across processes; null: a new write (retried safely within this call).</param>
    public Task<WriteOutcome?> WriteAsync(Identifier id, List<ChangeRow> rows, WriteIdentity? identity, CancellationToken ct) =>
        SendRowsAsync(id.FullName, rows, WriteIdFor(identity), UploadTarget.Append, ct);

    /// <summary>
    /// Writes rows of any size as one atomic write: the batches are sent in parts of about
    /// <see cref="TableStoreClientOptions.UploadPartBytes"/> as they come (memory here: one part), staged on the
    /// table's store, and committed once. Rows that fit in one message are sent as an ordinary write. An identity
    /// makes the whole write safe to run again: a rerun of a write that committed says so and commits nothing twice.
    /// </summary>
    /// <param name="progress">Rows sent so far, after each part.</param>
    public Task<WriteOutcome?> WriteAsync(Identifier id, RowSource rows, WriteIdentity? identity, IProgress<long>? progress, CancellationToken ct) =>
        // Read once: the staged parts, not the source, are what a commit that must start again reads.
        UploadAsync(id.FullName, rows.Open(ct), WriteIdFor(identity), UploadTarget.Append, progress, ct);

    /// <summary>
    /// INSERT OVERWRITE: the rows replace the whole table, or the partitions <paramref name="partition"/> 
    /// selects, in one commit. No rows empties them. Retried like a write; a retry of one that landed says so.
    /// </summary>
    public Task<WriteOutcome?> OverwriteAsync(Identifier id, List<ChangeRow> rows, IReadOnlyDictionary<string, string>? partition, WriteIdentity? identity, CancellationToken ct) =>
        SendRowsAsync(id.FullName, rows, WriteIdFor(identity), new UploadTarget(true, partition), ct);

    /// <summary>INSERT OVERWRITE of any size, uploaded in parts like <see cref="WriteAsync(Identifier, RowSource, WriteIdentity?, IProgress{long}?, CancellationToken)"/>.</summary>
    public Task<WriteOutcome?> OverwriteAsync(Identifier id, RowSource rows, IReadOnlyDictionary<string, string>? partition, WriteIdentity? identity, IProgress<long>? progress, CancellationToken ct) =>
        UploadAsync(id.FullName, rows.Open(ct), WriteIdFor(identity), new UploadTarget(true, partition), progress, ct);

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

    private static string WriteIdFor(WriteIdentity? identity) => identity is null ? WriteIds.New() : WriteIdOf(identity);

    private async Task<WriteOutcome?> SendRowsAsync(string name, List<ChangeRow> rows, string writeId, UploadTarget target, CancellationToken ct)
    {
        byte[] encoded;
        using (var deadline = WriteDeadline(ct))
        {
            var columns = await ColumnsForWriteAsync(name, writeId, deadline.Token, ct).ConfigureAwait(false);
            var kinds = new byte[rows.Count];
            var values = new object?[rows.Count][];
            for (int i = 0; i < rows.Count; i++) (kinds[i], values[i]) = ((byte)rows[i].Kind, rows[i].Values);
            encoded = RowBatchCodec.Encode(kinds, values, columns);
            if (encoded.Length <= _options.MaxWriteBytes)
            {
                var request = new WriteRequest(writeId, encoded) { Overwrite = target.Overwrite, OverwritePartition = target.Partition };
                return await SendAsync(name, request, deadline.Token, ct).ConfigureAwait(false);
            }
        }
        // Larger than one message: uploaded in parts and committed once.
        return await UploadAsync(name, Batches(rows, PartRows(rows.Count, encoded.Length)), writeId, target, null, ct).ConfigureAwait(false);
    }

    /// <summary>How many of <paramref name="rows"/> rows, <paramref name="encodedBytes"/> encoded, make one upload part.</summary>
    private int PartRows(int rows, int encodedBytes) => Math.Max(1, (int)(rows * (long)Math.Min(_options.UploadPartBytes, _options.MaxWriteBytes) / Math.Max(1, encodedBytes)));

    private static async IAsyncEnumerable<IReadOnlyList<ChangeRow>> Batches(List<ChangeRow> rows, int size)
    {
        for (int i = 0; i < rows.Count; i += size)
            yield return rows.GetRange(i, Math.Min(size, rows.Count - i));
        await Task.CompletedTask.ConfigureAwait(false);
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

    private async Task<WriteOutcome?> SendAsync(string name, WriteRequest request, CancellationToken deadline, CancellationToken ct)
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
                    var result = await _grains.GetGrain<ITableGrain>(name).WriteAsync(sent).WaitAsync(deadline).ConfigureAwait(false);
                    if (result?.SnapshotId is { } id) _lastWritten.AddOrUpdate(name, id, (_, old) => Math.Max(old, id));
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
}
