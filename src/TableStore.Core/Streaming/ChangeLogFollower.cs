using TableStore.Core.Manifest;

namespace TableStore.Core.Streaming;

/// <summary>
/// The entries a <see cref="StreamingReader"/> received from its <see cref="IChangeLog"/> ahead of delivering them.
/// Entries come in publish order, which is snapshot order but for publishes that failed and were sent again later,
/// lost ones, and snapshots never published (compactions): anything the reader needs that is not here is read from
/// the lake, and anything older than what it needs is dropped.
/// </summary>
internal sealed class ChangeLogFollower(IChangeLog log)
{
    private readonly SortedDictionary<long, ChangeLogEntry> _received = [];

    /// <summary>Whether the log is being read (a snapshot with positions in it has been seen).</summary>
    public bool Following { get; private set; }

    /// <summary>Starts reading the log at <paramref name="snapshot"/>'s positions, unless it is read already; true if it starts now.</summary>
    public bool Follow(Snapshot? snapshot)
    {
        if (Following || snapshot is null) return false;
        return Following = log.Seek(snapshot.LogOffsets);
    }

    /// <summary>
    /// The published changes of snapshot <paramref name="next"/>, if they came with rows of schema
    /// <paramref name="schemaId"/> (the reader's); what is older is dropped.
    /// </summary>
    public ChangeBatch? Take(long next, long schemaId)
    {
        while (_received.Count > 0 && _received.First().Key < next) _received.Remove(_received.First().Key);
        if (_received.TryGetValue(next, out var entry) && entry.Batch is not null && entry.SchemaId == schemaId)
        {
            _received.Remove(next);
            return entry.Batch;
        }
        return null;
    }

    /// <summary>
    /// The reader must read snapshot <c>next</c> from the lake now: its entry said so (too large to publish, another
    /// schema), or a later
    /// snapshot's came first (its publish was lost, or it was never published). Call after <see cref="Take"/>.
    /// </summary>
    public bool LakeNeeded => _received.Count > 0;

    /// <summary>Waits up to <paramref name="wait"/> for the log's next entry; false when none came.</summary>
    public async Task<bool> WaitAsync(TimeSpan wait, TimeProvider time, CancellationToken ct)
    {
        if (!Following)
        {
            await Task.Delay(wait, time, ct).ConfigureAwait(false);
            return false;
        }
        if (await log.ReadAsync(wait, ct).ConfigureAwait(false) is not { } entry) return false;
        _received[entry.SnapshotId] = entry;
        return true;
    }
}
