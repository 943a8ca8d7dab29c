using TableStore.Core.Format;
using TableStore.Core.Table;

namespace TableStore.Core.Streaming;

/// <summary>
/// Reads the changes of the snapshots from a given id on, a bounded page at a time: what a subscriber that missed
/// pushed changes (it started late, a push was lost) reads from the lake until it is current. A page stops at
/// <c>maxSnapshots</c> snapshots or once its rows reach about <c>maxBytes</c> (the first snapshot always fits, so
/// every page makes progress), and the caller asks again from the next id. A snapshot that expired before it was
/// read is an error, never a silent gap.
/// </summary>
public sealed class CatchUpReader(FileStoreTable table)
{
    private readonly SnapshotChanges _changes = new(table);
    private readonly RowSizeEstimator _sizes = new(table.Schema);

    public async Task<CatchUpPage> ReadAsync(long from, int maxSnapshots, long maxBytes, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSnapshots, 1);
        var snapshots = table.Snapshots;
        if (await snapshots.EarliestIdAsync(ct).ConfigureAwait(false) is { } earliest && from < earliest)
            throw new SnapshotNotFoundException($"The subscription to {table.Identifier} fell behind: snapshot {from} expired before it was delivered (the earliest retained is {earliest}). Subscribe with a consumer id (it protects the snapshots it needs) and start from earliest.");
        var batches = new List<ChangeBatch>();
        long bytes = 0;
        bool reachedLatest = false;
        for (long id = from; batches.Count < maxSnapshots && bytes < maxBytes; id++)
        {
            if (await snapshots.TryGetAsync(id, ct).ConfigureAwait(false) is not { } snapshot) { reachedLatest = true; break; }
            var batch = await _changes.ReadAsync(snapshot, ct).ConfigureAwait(false);
            batches.Add(batch);
            foreach (var row in batch.Rows) bytes += _sizes.Estimate(row.Values);
        }
        // Exact when the page reached the end; otherwise counted up to the latest snapshot id.
        long behind = reachedLatest ? batches.Count : Math.Max(batches.Count, (await snapshots.LatestIdAsync(ct).ConfigureAwait(false) ?? 0) - from + 1);
        return new CatchUpPage(batches, reachedLatest, behind);
    }
}
