using TableStore.Core.Table;

namespace TableStore.Core.Commit;

/// <summary>
/// The write ids of the last N snapshots, and the snapshot of each: how a retry of a committed write is recognised.
/// Rebuilt from the snapshots themselves (property <see cref="WriteIds.SnapshotProperty"/>) when the commit grain
/// activates, so it survives the grain's silo failing mid-commit.
/// </summary>
public sealed class CommittedWrites(int window)
{
    private readonly Dictionary<string, long> _snapshotOf = new(StringComparer.Ordinal);
    private readonly Queue<(long Snapshot, string[] Ids)> _order = new();

    public bool TryGet(string writeId, out long snapshotId) => _snapshotOf.TryGetValue(writeId, out snapshotId);

    public void Add(long snapshotId, string[] ids)
    {
        if (window == 0 || ids.Length == 0) return;
        foreach (var id in ids) _snapshotOf[id] = snapshotId;
        _order.Enqueue((snapshotId, ids));
        while (_order.Count > window)
        {
            var (snapshot, old) = _order.Dequeue();
            foreach (var id in old)
                if (_snapshotOf.TryGetValue(id, out var s) && s == snapshot) _snapshotOf.Remove(id);
        }
    }

    /// <param name="latest">The table's latest snapshot id, which the caller has read (null: no snapshot yet).</param>
    public static async Task<CommittedWrites> LoadAsync(FileStoreTable table, long? latest, int window, CancellationToken ct)
    {
        var result = new CommittedWrites(window);
        if (latest is null || window == 0) return result;
        var recent = new List<(long, string[])>();
        for (long id = latest.Value; id > Math.Max(0, latest.Value - window); id--)
        {
            var s = await table.Snapshots.TryGetAsync(id, ct).ConfigureAwait(false);
            if (s is null) break; // expired below here
            recent.Add((s.Id, WriteIds.Decode(s.Properties).ToArray()));
        }
        for (int i = recent.Count - 1; i >= 0; i--) result.Add(recent[i].Item1, recent[i].Item2);
        return result;
    }
}
