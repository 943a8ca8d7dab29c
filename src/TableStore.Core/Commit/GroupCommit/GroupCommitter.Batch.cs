using TableStore.Core.Table;

namespace TableStore.Core.Commit.GroupCommit;

/// <summary>
/// How one batch commits, in three steps:
/// <list type="number">
/// <item>seal: every bucket writer claims the batch's rows and reports writes it lost (it restarted) or refuses
/// (routed with another schema); those writes fail, the rest go on;</item>
/// <item>flush: the bucket writers write level-0 files;</item>
/// <item>commit: one snapshot through the core protocol (<see cref="RewritingCommit"/>: rewritten when another
/// writer took the buckets' sequence numbers), carrying the batch's write ids so retries are recognised later.</item>
/// </list>
/// </summary>
public sealed partial class GroupCommitter
{
    private readonly string _commitUser;
    private FileStoreTable _table;
    private FileStoreCommit _commit;
    private long? _latest;
    private long _lastBatchId;

    private async Task CommitBatchAsync(List<PendingWrite> writes)
    {
        var started = _time.GetTimestamp();
        long batchId = _lastBatchId = Math.Max(_lastBatchId + 1, _time.GetUtcNow().UtcTicks);
        var touched = writes.SelectMany(w => w.Write.Buckets).Distinct(StringComparer.Ordinal).ToList();
        try
        {
            try { UseTable(await _tables(false).ConfigureAwait(true)); }
            catch (TableNotFoundException e)
            {
                Fail(writes, _ => e); // dropped meanwhile: not retryable, so not WriteNotCommittedException
                return;
            }
            var sealedWrites = await SealAsync(writes, batchId).ConfigureAwait(true);
            if (sealedWrites.Count > 0) await FlushAndCommitAsync(sealedWrites, batchId).ConfigureAwait(true);
        }
        catch (Exception e)
        {
            // A bug or an unexpected failure: the writes still get an answer instead of hanging.
            _log.GroupCommitFailed(e, _tableName);
            Fail(writes.Where(w => !w.Result.Task.IsCompleted), id => Unknown(id, e));
        }
        finally
        {
            foreach (var w in writes) ForgetInFlight(w);
            foreach (var b in touched) _buckets.Release(b, batchId);
            BatchEnded?.Invoke(GroupCommitStats.Of(writes, _time.GetElapsedTime(started)));
        }
    }

    private void UseTable(FileStoreTable table)
    {
        if (!ReferenceEquals(table, _table)) (_table, _commit) = (table, table.NewCommit(_commitUser));
    }

    /// <summary>Claims the batch's rows in every bucket; fails the writes whose rows some bucket writer lost or refused.</summary>
    private async Task<List<PendingWrite>> SealAsync(List<PendingWrite> writes, long batchId)
    {
        var lost = new Dictionary<string, string>(StringComparer.Ordinal);
        var seals = await Task.WhenAll(ByBucket(writes).Select(async kv =>
        {
            var ids = kv.Value.Select(w => w.Id).ToArray();
            try { return (Bucket: kv.Key, Reply: await _buckets.SealAsync(kv.Key, batchId, ids).ConfigureAwait(true), Error: (Exception?)null); }
            catch (Exception e) { return (Bucket: kv.Key, Reply: new BucketSeal(ids, []), Error: e); }
        })).ConfigureAwait(true);
        foreach (var (bucket, reply, error) in seals)
        {
            foreach (var id in reply.Missing)
                lost.TryAdd(id, error is null
                    ? $"its rows for {bucket} were lost before the commit (that bucket writer restarted, e.g. its silo failed)"
                    : $"the bucket writer {bucket} could not be reached ({ErrorText.Summary(error)})");
            foreach (var id in reply.Stale)
                lost.TryAdd(id, $"its rows for {bucket} were routed with an older schema of the table (altered or rescaled meanwhile)");
        }
        Fail(writes.Where(w => lost.ContainsKey(w.Id)), id => new WriteNotCommittedException($"Write {id} to {_tableName} was not committed: {lost[id]}. Nothing of it is visible; retry it."));
        return writes.Where(w => !lost.ContainsKey(w.Id)).ToList();
    }

    private async Task FlushAndCommitAsync(List<PendingWrite> writes, long batchId)
    {
        var ids = writes.Select(w => w.Id).ToArray();
        try
        {
            var committed = await new RewritingCommit(() => _commit, _table.Schema.CoreOptions.CommitMaxRetries).RunAsync(
                (attempt, _) => FlushAsync(writes, batchId, attempt),
                messages => new CommitRequest(messages.Where(m => !m.IsEmpty).ToList(), batchId)
                {
                    BaseSnapshotId = _latest ?? 0,
                    Properties = new Dictionary<string, string> { [WriteIds.SnapshotProperty] = WriteIds.Encode(ids) },
                    LogOffsets = LogPositions?.Invoke(),
                },
                AbortAsync).ConfigureAwait(true);
            var snapshotId = committed!.Value.Result.SnapshotId; // a flush always returns messages
            _latest = snapshotId;
            _committed.Add(snapshotId, ids, _table.Time.GetUtcNow().ToUnixTimeMilliseconds()); // the clock that stamps snapshots, read after this one: safe
            foreach (var w in writes) w.Result.TrySetResult(new GroupCommitResult(snapshotId, AlreadyCommitted: false, w.Write.Rows));
            Committed?.Invoke(snapshotId, _table);
        }
        catch (BucketFlushFailedException e)
        {
            Fail(writes, id => new WriteNotCommittedException(
                $"Write {id} to {_tableName} was not committed: bucket writer {e.Bucket} could not write its files ({ErrorText.Summary(e.InnerException!)}). Nothing of it is visible; retry it.", e.InnerException!));
        }
        catch (Exception e) when (e is SequenceConflictException or CommitConflictException or InvalidInputException)
        {
            Fail(writes, id => new WriteNotCommittedException($"Write {id} to {_tableName} was not committed: {e.Message}", e));
        }
        catch (Exception e)
        {
            // The snapshot put may have happened: its files must stay, and only a retry can tell.
            _log.BatchCommitOutcomeUnknown(e, batchId, _tableName);
            Fail(writes, id => Unknown(id, e));
        }
    }

    /// <summary>Every bucket writes its files; any failure aborts the rest and fails the batch, certainly not committed.</summary>
    private async Task<List<CommitMessage>?> FlushAsync(List<PendingWrite> writes, long batchId, int attempt)
    {
        bool rewrite = attempt > 1; // another writer took the buckets' sequence numbers: write above them
        if (rewrite) _log.BatchRewritten(batchId, _tableName, attempt);
        var flushes = await Task.WhenAll(ByBucket(writes).Select(async kv =>
        {
            try { return (Bucket: kv.Key, Message: await _buckets.FlushAsync(kv.Key, batchId, kv.Value.Select(w => w.Id).ToArray(), rewrite).ConfigureAwait(true), Error: (Exception?)null); }
            catch (Exception e) { return (Bucket: kv.Key, Message: (CommitMessage?)null, Error: e); }
        })).ConfigureAwait(true);
        var messages = flushes.Where(f => f.Message is not null).Select(f => f.Message!).ToList();
        if (messages.Any(m => m.NewFiles.Count > 0 && m.TotalBuckets != _table.Schema.BucketCount))
        {
            // The writers routed for another bucket count than this committer's schema: a rescale happened and one of
            // the cached schemas is stale. Read the schema again before committing.
            UseTable(await _tables(true).ConfigureAwait(true));
        }
        if (flushes.FirstOrDefault(f => f.Error is not null) is { Error: { } error } failed)
        {
            await AbortAsync(messages).ConfigureAwait(true);
            throw new BucketFlushFailedException(failed.Bucket, error);
        }
        return messages;
    }

    /// <summary>Deletes files of a batch that is certainly not committed; what stays is left to orphan cleanup.</summary>
    private async Task AbortAsync(IEnumerable<CommitMessage> messages)
    {
        foreach (var m in messages)
            foreach (var f in m.NewFiles.Concat(m.ChangelogFiles))
            {
                var path = _table.Paths.DataFile(_table.Schema.PartitionKeys, m.Partition, m.Bucket, f.FileName);
                try { await _table.Store.DeleteAsync(path).ConfigureAwait(true); }
                catch (IOException e) { _log.BatchOrphanDeleteFailed(e, path); }
            }
    }

    private WriteOutcomeUnknownException Unknown(string id, Exception e) => new(
        $"Write {id} to {_tableName} may or may not have been committed ({ErrorText.Summary(e)}). Retry it with the same write id: if it was committed, the retry says so and writes nothing again.", e);

    private sealed class BucketFlushFailedException(string bucket, Exception error) : Exception($"Bucket writer {bucket} failed", error)
    {
        public string Bucket { get; } = bucket;
    }

    private static Dictionary<string, List<PendingWrite>> ByBucket(IEnumerable<PendingWrite> writes)
    {
        var result = new Dictionary<string, List<PendingWrite>>(StringComparer.Ordinal);
        foreach (var w in writes)
            foreach (var b in w.Write.Buckets)
            {
                if (!result.TryGetValue(b, out var list)) result[b] = list = [];
                list.Add(w);
            }
        return result;
    }
}
