using System.Runtime.CompilerServices;
using TableStore.Core.Manifest;
using TableStore.Core.Table;
using TableStore.Core.Consumers;

namespace TableStore.Core.Streaming;

/// <summary>
/// Follows a table snapshot by snapshot: one <see cref="ChangeBatch"/> per snapshot, in snapshot order, every
/// snapshot once (COMPACT ones as empty batches, so progress moves on). A batch counts as processed when the
/// caller asks for the next one; only then is the consumer's progress moved past it (to the batch's snapshot id
/// + 1; a caller that stops early records its last batch with <see cref="ConsumerManager.SetAsync"/>), so a reader
/// that crashes mid-batch gets that batch again (at least once; exactly once per snapshot id for a reader that
/// keeps the ids it applied). A snapshot that expired before it was read is an error, never a silent gap.
/// Without a <paramref name="changeLog"/> new snapshots are found by polling the lake; with one (the service's Kafka
/// topic), a hybrid read: the start from the lake, then the log from the positions that snapshot records, and the
/// lake again for whatever the log lacks, so the batches are the same either way.
/// </summary>
public sealed class StreamingReader(FileStoreTable table, IChangeLog? changeLog = null)
{
    private readonly SnapshotChanges _changes = new(table);

    /// <summary>Batches delivered from the change log rather than read from the lake (0 without a log).</summary>
    public long FromChangeLog { get; private set; }

    public async IAsyncEnumerable<ChangeBatch> ReadAsync(StreamingOptions options, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var snapshots = table.Snapshots;
        var (full, next) = await StartAsync(options.Start, options.ConsumerId, ct).ConfigureAwait(false);
        if (full is not null)
        {
            yield return await _changes.ReadFullAsync(full, ct).ConfigureAwait(false);
            if (options.ConsumerId is { } c) await table.Consumers.SetAsync(c, next, ct).ConfigureAwait(false);
        }

        var log = changeLog is null ? null : new ChangeLogFollower(changeLog);
        // A snapshot's positions are at or before where its own changes and all later ones are published.
        log?.Follow(await snapshots.TryGetAsync(next, ct).ConfigureAwait(false) ?? await snapshots.LatestAsync(ct).ConfigureAwait(false));
        var idleSince = table.Time.GetTimestamp();
        // Without a log, the lake is read for every snapshot. With one, from its positions on, the log comes first;
        // the lake is read for what the log lacks (a gap, a marker) and, once the log is quiet for a while, until it
        // has nothing new: compactions are never published, and a publish can be lost.
        bool checkLake = log is not { Following: true };
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var batch = log?.Take(next, table.Schema.Id);
            if (batch is not null) FromChangeLog++;
            else if (log is null || checkLake || log.LakeNeeded)
            {
                var snapshot = await snapshots.TryGetAsync(next, ct).ConfigureAwait(false);
                if (snapshot is not null)
                {
                    batch = await _changes.ReadAsync(snapshot, ct).ConfigureAwait(false);
                    // The first snapshot that records where the log is (older ones predate publishing there): from here the log comes first.
                    if (log?.Follow(snapshot) == true) checkLake = false;
                }
                else
                {
                    if (await snapshots.EarliestIdAsync(ct).ConfigureAwait(false) is { } earliest && earliest > next)
                        throw new SnapshotNotFoundException($"The stream of {table.Identifier} fell behind: snapshot {next} expired before it was read (the earliest retained is {earliest}). Use a consumer id (it protects the snapshots it needs) and restart from earliest.");
                    checkLake = false;
                }
            }
            if (batch is null)
            {
                if (options.IdleTimeout is { } idle && table.Time.GetElapsedTime(idleSince) >= idle) yield break;
                if (log is null) await Task.Delay(options.PollInterval, table.Time, ct).ConfigureAwait(false);
                else checkLake = !await log.WaitAsync(log.Following ? options.LakeCheckInterval : options.PollInterval, table.Time, ct).ConfigureAwait(false);
                continue;
            }
            yield return batch;
            next++;
            idleSince = table.Time.GetTimestamp();
            if (options.ConsumerId is { } consumer) await table.Consumers.SetAsync(consumer, next, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Where a read begins: a consumer with progress resumes after the last snapshot it finished, whatever
    /// <paramref name="start"/> says; otherwise as <see cref="ResolveAsync"/> says. A new consumer is recorded once it
    /// has a position: right away when nothing is delivered whole first; else the caller records it after
    /// delivering <c>Full</c> (a rerun before that starts over).
    /// </summary>
    public async Task<(Snapshot? Full, long Next)> StartAsync(StreamStart start, string? consumerId, CancellationToken ct = default)
    {
        if (consumerId is not null && await table.Consumers.TryGetAsync(consumerId, ct).ConfigureAwait(false) is { } resumed)
            return (null, resumed.NextSnapshot);
        var (full, next) = await ResolveAsync(start, ct).ConfigureAwait(false);
        if (full is null && consumerId is not null) await table.Consumers.SetAsync(consumerId, next, ct).ConfigureAwait(false);
        return (full, next);
    }

    /// <summary>
    /// Where a read from <paramref name="start"/> begins: the snapshot to deliver whole first (latest-full, earliest),
    /// if any, and the next snapshot whose changes follow.
    /// </summary>
    public async Task<(Snapshot? Full, long Next)> ResolveAsync(StreamStart start, CancellationToken ct = default)
    {
        var snapshots = table.Snapshots;
        switch (start.Mode)
        {
            case StreamStartMode.Latest:
                return (null, (await snapshots.LatestIdAsync(ct).ConfigureAwait(false) ?? 0) + 1);
            case StreamStartMode.LatestFull:
            {
                var full = await snapshots.LatestAsync(ct).ConfigureAwait(false);
                return (full, (full?.Id ?? 0) + 1);
            }
            case StreamStartMode.Earliest:
            {
                var earliest = await snapshots.EarliestIdAsync(ct).ConfigureAwait(false);
                var full = earliest is { } e ? await snapshots.TryGetAsync(e, ct).ConfigureAwait(false) : null;
                return (full, (full?.Id ?? 0) + 1);
            }
            case StreamStartMode.FromSnapshot:
            {
                long next = start.SnapshotId!.Value;
                if (await snapshots.EarliestIdAsync(ct).ConfigureAwait(false) is { } first && next < first)
                    throw new SnapshotNotFoundException($"Cannot stream {table.Identifier} from snapshot {next}: it has expired (the earliest retained is {first}). Start from earliest or a later snapshot.");
                return (null, next);
            }
            default:
                return (null, await FirstAtOrAfterAsync(start.Time!.Value, ct).ConfigureAwait(false));
        }
    }

    /// <summary>The first snapshot committed at or after <paramref name="time"/>, or the next one to come.</summary>
    private async Task<long> FirstAtOrAfterAsync(DateTimeOffset time, CancellationToken ct)
    {
        var ids = await table.Snapshots.ListIdsAsync(ct).ConfigureAwait(false);
        long millis = time.ToUnixTimeMilliseconds();
        int lo = 0, hi = ids.Count - 1, found = ids.Count;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            var s = await table.Snapshots.GetAsync(ids[mid], ct).ConfigureAwait(false);
            if (s.TimeMillis >= millis) { found = mid; hi = mid - 1; }
            else lo = mid + 1;
        }
        return found < ids.Count ? ids[found] : (ids.Count == 0 ? 1 : ids[^1] + 1);
    }
}
