using System.Globalization;
using TableStore.Abstractions;
using TableStore.Core;
using TableStore.Core.Api;
using TableStore.Core.Commit;
using TableStore.Core.Data;
using TableStore.Core.Serialization;

namespace TableStore.Client;

/// <summary>Writes of any size: rows sent in parts, staged on the silos' store, committed once.</summary>
public sealed partial class TableStoreClient
{
    /// <summary>What the uploaded rows do when committed: append (a write), or replace the table or some partitions.</summary>
    private sealed record UploadTarget(bool Overwrite, IReadOnlyDictionary<string, string>? Partition)
    {
        public static readonly UploadTarget Append = new(false, null);
    }

    private async Task<WriteOutcome?> UploadAsync(string name, IAsyncEnumerable<IReadOnlyList<ChangeRow>> batches, string writeId, UploadTarget target, IProgress<long>? progress, CancellationToken ct)
    {
        WriteIds.Validate(writeId);
        List<string> columns;
        using (var deadline = WriteDeadline(ct)) columns = await ColumnsForWriteAsync(name, writeId, deadline.Token, ct).ConfigureAwait(false);
        var upload = _grains.GetGrain<ITableUploadGrain>(name);
        var kinds = new List<byte>();
        var values = new List<object?[]>();
        int rowsPerPart = 1024; // then learnt from the encoded size of the parts so far
        int parts = 0;
        long sent = 0;
        byte[]? first = null; // held back: a write of one part is sent as an ordinary write, with no staging
        try
        {
            await foreach (var batch in batches.WithCancellation(ct).ConfigureAwait(false))
            {
                foreach (var row in batch)
                {
                    kinds.Add((byte)row.Kind);
                    values.Add(row.Values);
                    if (values.Count < rowsPerPart) continue;
                    int count = values.Count;
                    var part = Encode();
                    rowsPerPart = (int)Math.Clamp(count * (long)Math.Min(_options.UploadPartBytes, _options.MaxWriteBytes) / Math.Max(1, part.Length), 1, 1 << 20);
                    if (first is null && parts == 0) first = part;
                    else
                    {
                        await StageHeldAsync().ConfigureAwait(false);
                        await StagePartAsync(part).ConfigureAwait(false);
                    }
                }
            }
            var last = values.Count > 0 ? Encode() : null;
            if (parts == 0 && (first is null || last is null) && (first ?? last ?? []).Length <= _options.MaxWriteBytes)
            {
                using var deadline = WriteDeadline(ct);
                var request = new WriteRequest(writeId, first ?? last ?? RowBatchCodec.Encode([], [], columns)) { Overwrite = target.Overwrite, OverwritePartition = target.Partition };
                return await SendAsync(name, request, deadline.Token, ct).ConfigureAwait(false);
            }
            await StageHeldAsync().ConfigureAwait(false);
            if (last is not null) await StagePartAsync(last).ConfigureAwait(false);
        }
        catch when (parts > 0)
        {
            // Bad rows further on, a source that failed, a part that could not be staged: nothing is committed, and
            // what was staged goes.
            AbortInBackground(upload, writeId);
            throw;
        }
        return await CommitStagedAsync(name, upload, writeId, parts, target, ct).ConfigureAwait(false);

        async Task StageHeldAsync()
        {
            if (first is null) return;
            var held = first;
            first = null;
            await StagePartAsync(held).ConfigureAwait(false);
        }

        byte[] Encode()
        {
            var part = RowBatchCodec.Encode(kinds.ToArray(), values, columns);
            if (values.Count == 1 && part.Length > _options.MaxWriteBytes)
                throw new InvalidInputException(string.Create(CultureInfo.InvariantCulture,
                    $"Row {sent + 1} of write {writeId} to {name} is {Size(part.Length)} encoded, more than one request can carry ({Size(_options.MaxWriteBytes)}, TableStoreClientOptions.MaxWriteBytes). Nothing was committed."));
            sent += values.Count;
            kinds.Clear();
            values.Clear();
            return part;
        }

        async Task StagePartAsync(byte[] part)
        {
            int number = parts;
            await StepAsync(() => upload.StagePartAsync(writeId, number, part), _options.WriteTimeout,
                e => new WriteNotCommittedException(string.Create(CultureInfo.InvariantCulture,
                    $"Write {writeId} to {name} was not committed: part {number} got no answer within {_options.WriteTimeout.TotalSeconds:0.#} s ({ErrorText.Summary(e)}). Nothing of it is visible; write it again."), e), ct).ConfigureAwait(false);
            parts++;
            progress?.Report(sent);
        }
    }

    /// <summary>Commits the staged parts; a retry (same write id) of a commit that landed is answered with its snapshot.</summary>
    private async Task<WriteOutcome?> CommitStagedAsync(string name, ITableUploadGrain upload, string writeId, int parts, UploadTarget target, CancellationToken ct)
    {
        var result = await StepAsync(() => target.Overwrite ? upload.CommitOverwriteAsync(writeId, parts, target.Partition) : upload.CommitAsync(writeId, parts), _options.StagedCommitTimeout,
            e => new WriteOutcomeUnknownException(string.Create(CultureInfo.InvariantCulture,
                $"Write {writeId} to {name} ({parts} parts, all staged) got no answer to its commit within {_options.StagedCommitTimeout.TotalMinutes:0.#} min ({ErrorText.Summary(e)}): it may or may not have been committed. Retrying it with the same write id is safe: if it was committed, the retry says so and writes nothing again."), e), ct).ConfigureAwait(false);
        if (result?.SnapshotId is { } id) _lastWritten.AddOrUpdate(name, id, (_, old) => Math.Max(old, id));
        return result;
    }

    /// <summary>
    /// One idempotent step of an upload, retried like a write while a retry can help, within <paramref name="timeout"/>;
    /// a step that runs out of time or attempts fails with <paramref name="failed"/>'s error.
    /// </summary>
    private async Task<T> StepAsync<T>(Func<Task<T>> call, TimeSpan timeout, Func<Exception, TableStoreException> failed, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        var delay = _options.RetryDelay;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                try { return await call().WaitAsync(deadline.Token).ConfigureAwait(false); }
                catch (Exception e) when (IsRetryable(e) && attempt < _options.MaxWriteAttempts)
                {
                    await Task.Delay(delay, deadline.Token).ConfigureAwait(false);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryDelay.Ticks));
                }
                catch (Exception e) when (IsRetryable(e) && e is not TableStoreException)
                {
                    throw failed(e);
                }
            }
            catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
            {
                throw failed(e);
            }
        }
    }

    private static void AbortInBackground(ITableUploadGrain upload, string writeId) => _ = Task.Run(async () =>
    {
        try { await upload.AbortAsync(writeId).WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false); }
        catch (Exception) { } // what stays is deleted once abandoned (TableStore:AbandonedUploadTimeout)
    });
}
