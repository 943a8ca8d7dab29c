using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using TableStore.Core.IO;
using TableStore.Core.Serialization;
using TableStore.Core.Table;

namespace TableStore.Core.Manifest;

/// <summary>
/// Finds and reads snapshots. The snapshot files themselves are the truth: the LATEST hint only says where
/// to start probing, and a missing or stale hint falls back to listing.
/// </summary>
public sealed class SnapshotManager(IObjectStore store, TablePaths paths)
{
    private readonly ConcurrentDictionary<long, Snapshot> _cache = new();

    public IObjectStore Store => store;

    public async Task<Snapshot?> TryGetAsync(long id, CancellationToken ct = default)
    {
        if (_cache.TryGetValue(id, out var s)) return s;
        var path = paths.SnapshotFile(id);
        byte[] bytes;
        try { bytes = await store.GetAsync(path, ct).ConfigureAwait(false); }
        catch (ObjectNotFoundException) { return null; }
        s = Json.Deserialize<SnapshotJson>(bytes, path).ToSnapshot(path);
        if (s.Id != id) throw new CorruptFileException($"Snapshot file '{path}' says it is snapshot {s.Id}.");
        return _cache[id] = s;
    }

    public async Task<Snapshot> GetAsync(long id, CancellationToken ct = default)
    {
        var s = await TryGetAsync(id, ct).ConfigureAwait(false);
        if (s is not null) return s;
        var ids = await ListIdsAsync(ct).ConfigureAwait(false);
        throw new SnapshotNotFoundException(ids.Count == 0
            ? $"Snapshot {id} does not exist: the table has no snapshots yet."
            : id < ids[0] && id > 0
                ? $"Snapshot {id} has expired: the earliest retained snapshot is {ids[0]}."
                : $"Snapshot {id} does not exist: snapshots {ids[0]}..{ids[^1]} are available.");
    }

    /// <summary>Deletes an expired snapshot's file (and forgets it, so this process cannot read it from memory).</summary>
    public async Task DeleteAsync(long id, CancellationToken ct = default)
    {
        _cache.TryRemove(id, out _);
        await store.DeleteAsync(paths.SnapshotFile(id), ct).ConfigureAwait(false);
        _cache.TryRemove(id, out _);
    }

    /// <summary>The commit point: creates <c>snapshot-N</c> only if no committer created it first.</summary>
    public async Task<bool> TryCommitAsync(Snapshot snapshot, CancellationToken ct = default)
    {
        var bytes = Json.Serialize(SnapshotJson.From(snapshot), indented: true);
        bool created = await store.PutIfAbsentAsync(paths.SnapshotFile(snapshot.Id), bytes, ct).ConfigureAwait(false);
        Seen(snapshot.Id); // created now, or by a racing committer: either way it exists
        return created;
    }

    /// <summary>Best effort: a failure here never fails a commit, readers verify the hint anyway.</summary>
    public async Task WriteLatestHintAsync(long id, CancellationToken ct = default)
    {
        try { await store.PutAsync(paths.LatestHint, Encoding.ASCII.GetBytes(id.ToString(CultureInfo.InvariantCulture)), ct).ConfigureAwait(false); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OperationCanceledException or TableStoreException) { }
    }

    /// <summary>Latest committed snapshot id, or null when there is none.</summary>
    public async Task<long?> LatestIdAsync(CancellationToken ct = default)
    {
        if (Interlocked.Read(ref _latestSeen) is var seen and > 0)
        {
            // Probe forward from the latest this handle has seen (no hint read: one round trip fewer on a cloud
            // store). Ids are contiguous and expire oldest first, so if seen+1 is absent, seen is the latest
            // exactly when it still exists; if it expired meanwhile, so did seen+1, and the hint or a listing decides.
            long h = seen;
            while (await store.ExistsAsync(paths.SnapshotFile(h + 1), ct).ConfigureAwait(false)) h++;
            if (h > seen || await store.ExistsAsync(paths.SnapshotFile(seen), ct).ConfigureAwait(false)) return Seen(h);
        }
        return await LatestIdFromHintAsync(ct).ConfigureAwait(false) is { } found ? Seen(found) : null;
    }

    private long _latestSeen;

    /// <summary>Remembers the highest snapshot id known to exist (ids only grow, so the maximum wins).</summary>
    private long Seen(long id)
    {
        for (long current = Interlocked.Read(ref _latestSeen); id > current; current = Interlocked.Read(ref _latestSeen))
            if (Interlocked.CompareExchange(ref _latestSeen, id, current) == current) break;
        return id;
    }

    private async Task<long?> LatestIdFromHintAsync(CancellationToken ct)
    {
        long? hint = await ReadHintAsync(ct).ConfigureAwait(false);
        if (hint is { } h && await store.ExistsAsync(paths.SnapshotFile(h), ct).ConfigureAwait(false))
        {
            // Snapshot ids are contiguous, so probing forward from an existing one finds the latest.
            while (await store.ExistsAsync(paths.SnapshotFile(h + 1), ct).ConfigureAwait(false)) h++;
            return h;
        }
        var ids = await ListIdsAsync(ct).ConfigureAwait(false);
        return ids.Count == 0 ? null : ids[^1];
    }

    public async Task<Snapshot?> LatestAsync(CancellationToken ct = default)
    {
        var id = await LatestIdAsync(ct).ConfigureAwait(false);
        return id is null ? null : await GetAsync(id.Value, ct).ConfigureAwait(false);
    }

    public async Task<long?> EarliestIdAsync(CancellationToken ct = default)
    {
        var ids = await ListIdsAsync(ct).ConfigureAwait(false);
        return ids.Count == 0 ? null : ids[0];
    }

    private async Task<long?> ReadHintAsync(CancellationToken ct)
    {
        try
        {
            var text = Encoding.ASCII.GetString(await store.GetAsync(paths.LatestHint, ct).ConfigureAwait(false));
            return long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
        }
        catch (ObjectNotFoundException) { return null; }
    }

    public async Task<List<long>> ListIdsAsync(CancellationToken ct = default)
    {
        var ids = new List<long>();
        await foreach (var o in store.ListAsync(paths.SnapshotDir, ct).ConfigureAwait(false))
        {
            if (TablePaths.TryParseNumbered(o.Path, TablePaths.SnapshotPrefix, out var id)) ids.Add(id);
        }
        ids.Sort();
        return ids;
    }

    public async Task<List<Snapshot>> ListAsync(CancellationToken ct = default)
    {
        var result = new List<Snapshot>();
        foreach (var id in await ListIdsAsync(ct).ConfigureAwait(false))
            if (await TryGetAsync(id, ct).ConfigureAwait(false) is { } s) result.Add(s);
        return result;
    }

    /// <summary>The latest snapshot committed at or before <paramref name="time"/>.</summary>
    public async Task<Snapshot> AsOfAsync(DateTimeOffset time, CancellationToken ct = default)
    {
        var ids = await ListIdsAsync(ct).ConfigureAwait(false);
        if (ids.Count == 0) throw new SnapshotNotFoundException("The table has no snapshots yet.");
        long millis = time.ToUnixTimeMilliseconds();
        // Commit times grow with ids (each commit is stamped after the previous one was read), so binary search.
        int lo = 0, hi = ids.Count - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            var s = await GetAsync(ids[mid], ct).ConfigureAwait(false);
            if (s.TimeMillis <= millis) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        if (found < 0)
        {
            var first = await GetAsync(ids[0], ct).ConfigureAwait(false);
            throw new SnapshotNotFoundException($"No snapshot exists at or before {time.UtcDateTime:yyyy-MM-dd HH:mm:ss.fff} UTC: the earliest retained snapshot {first.Id} was committed at {first.Time.UtcDateTime:yyyy-MM-dd HH:mm:ss.fff} UTC.");
        }
        return await GetAsync(ids[found], ct).ConfigureAwait(false);
    }
}
