using TableStore.Core.Table;

namespace TableStore.Core.Commit;

/// <summary>
/// The write ids of the last N snapshots, and the snapshot of each: how a retry of a committed write is recognised.
/// Rebuilt from the snapshots themselves (property <see cref="WriteIds.SnapshotProperty"/>) when the commit grain
/// activates, so it survives the grain's silo failing mid-commit. A retry older than what is remembered (a busy
/// table commits N snapshots in seconds) is looked up in the snapshots committed since it was first sent
/// (<see cref="FindSinceAsync"/>), so a window in snapshots never lets a write commit twice.
/// </summary>
public sealed class CommittedWrites(int window)
{
    private readonly Dictionary<string, long> _snapshotOf = new(StringComparer.Ordinal);
    private readonly Queue<(long Snapshot, string[] Ids, long TimeMillis)> _order = new();

    /// <summary>How far apart the clocks of the silos (which stamp snapshots) and of the store may be.</summary>
    public static readonly TimeSpan ClockMargin = TimeSpan.FromSeconds(30);

    /// <summary>The earliest time (Unix ms) a write first sent at <paramref name="firstSent"/> can have been committed.</summary>
    public static long NotBefore(DateTimeOffset firstSent) => (firstSent - ClockMargin).ToUnixTimeMilliseconds();

    public bool TryGet(string writeId, out long snapshotId) => _snapshotOf.TryGetValue(writeId, out snapshotId);

    /// <summary>
    /// Every write committed after this time (Unix ms) is remembered; one first sent at or before it may have been
    /// committed in a snapshot forgotten since. <see cref="long.MinValue"/>: nothing was forgotten yet.
    /// </summary>
    public long ForgottenUpToMillis { get; private set; } = long.MinValue;

    public void Add(long snapshotId, string[] ids, long timeMillis)
    {
        if (window == 0)
        {
            ForgottenUpToMillis = Math.Max(ForgottenUpToMillis, timeMillis);
            return;
        }
        if (ids.Length == 0) return;
        foreach (var id in ids) _snapshotOf[id] = snapshotId;
        _order.Enqueue((snapshotId, ids, timeMillis));
        while (_order.Count > window)
        {
            var (snapshot, old, time) = _order.Dequeue();
            ForgottenUpToMillis = Math.Max(ForgottenUpToMillis, time);
            foreach (var id in old)
                if (_snapshotOf.TryGetValue(id, out var s) && s == snapshot) _snapshotOf.Remove(id);
        }
    }

    /// <summary>
    /// The snapshot that committed <paramref name="writeId"/> among those committed at or after
    /// <paramref name="sinceMillis"/> (newest first; stops at the first expired snapshot), or null.
    /// </summary>
    public static async Task<long?> FindSinceAsync(FileStoreTable table, string writeId, long sinceMillis, CancellationToken ct = default)
    {
        for (var id = await table.Snapshots.LatestIdAsync(ct).ConfigureAwait(false); id > 0; id--)
        {
            var s = await table.Snapshots.TryGetAsync(id.Value, ct).ConfigureAwait(false);
            if (s is null || s.TimeMillis < sinceMillis) return null;
            if (WriteIds.Decode(s.Properties).Contains(writeId, StringComparer.Ordinal)) return s.Id;
        }
        return null;
    }

    /// <param name="latest">The table's latest snapshot id, which the caller has read (null: no snapshot yet).</param>
    public static async Task<CommittedWrites> LoadAsync(FileStoreTable table, long? latest, int window, CancellationToken ct)
    {
        var result = new CommittedWrites(window);
        if (latest is null) return result;
        if (window == 0)
        {
            result.ForgottenUpToMillis = long.MaxValue;
            return result;
        }
        var recent = new List<(long, string[], long)>();
        long oldest = latest.Value - window + 1;
        for (long id = latest.Value; id >= Math.Max(1, oldest); id--)
        {
            var s = await table.Snapshots.TryGetAsync(id, ct).ConfigureAwait(false);
            if (s is null) break; // expired below here
            recent.Add((s.Id, WriteIds.Decode(s.Properties).ToArray(), s.TimeMillis));
        }
        // Older snapshots (beyond the window, or expired) are not remembered: anything up to the oldest one read may be among them.
        if (oldest > 1 || recent.Count < latest.Value) result.ForgottenUpToMillis = recent.Count > 0 ? recent[^1].Item3 : long.MaxValue;
        for (int i = recent.Count - 1; i >= 0; i--) result.Add(recent[i].Item1, recent[i].Item2, recent[i].Item3);
        return result;
    }
}
