using System.Globalization;
using TableStore.Core.Commit;
using TableStore.Core.Data;
using TableStore.Core.Table;

namespace TableStore.Core.Ingest;

/// <summary>
/// Exactly-once ingestion from a partitioned log (a Kafka topic): the positions consumed are committed in the same
/// snapshot as the rows read up to them, as the snapshot's log offsets <c>SOURCE/PARTITION → next offset</c>. A
/// restarted ingestion resumes from the latest snapshot's positions, so a crash at any point neither loses nor
/// repeats a message; the log's own consumer-group offsets are only a hint for monitoring.
/// </summary>
/// <remarks>
/// Every commit is fenced: it lands only while the table still holds the positions this checkpoint last read or
/// wrote, so two ingestions of the same source (a second process, a stale one after a pause) cannot both commit.
/// Positions survive later commits of any kind and snapshot expiry: each snapshot carries them forward.
/// </remarks>
public sealed class IngestCheckpoint(FileStoreTable table, string source)
{
    private Dictionary<int, long> _positions = [];

    /// <summary>The log offsets key prefix, e.g. <c>kafka/GROUP/TOPIC</c>.</summary>
    public string Source => source;

    /// <summary>The committed positions: partition → next offset to read. Partitions never committed are absent.</summary>
    public IReadOnlyDictionary<int, long> Positions => _positions;

    public static string Key(string source, int partition) => string.Create(CultureInfo.InvariantCulture, $"{source}/{partition}");

    /// <summary>Reads the positions from the table's latest snapshot.</summary>
    public async Task<IReadOnlyDictionary<int, long>> LoadAsync(CancellationToken ct)
    {
        var latest = await table.Snapshots.LatestAsync(ct).ConfigureAwait(false);
        var positions = new Dictionary<int, long>();
        var prefix = source + "/";
        foreach (var (key, value) in latest?.LogOffsets ?? new Dictionary<string, string>())
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal)) continue;
            if (!int.TryParse(key.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
                || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
                throw new CorruptFileException($"Snapshot {latest!.Id} of {table.Identifier.FullName}: log offset '{key}' = '{value}' is not a partition and an offset.");
            positions[partition] = offset;
        }
        _positions = positions;
        return positions;
    }

    /// <summary>
    /// Commits <paramref name="rows"/> and the positions <paramref name="next"/> (partition → next offset; partitions
    /// not named keep theirs) as one snapshot. Commits even without rows when a position moves (skipped input).
    /// Null when nothing moved. A <see cref="CommitConflictException"/> means another ingestion of this source
    /// committed: reload before going on.
    /// </summary>
    public async Task<CommitResult?> CommitAsync(IReadOnlyList<ChangeRow> rows, IReadOnlyDictionary<int, long> next, CancellationToken ct)
    {
        var moved = next.Where(p => !_positions.TryGetValue(p.Key, out var at) || at != p.Value).ToList();
        if (moved.Count == 0 && rows.Count == 0) return null;
        var result = await table.WriteAndCommitAsync(rows, new WriteOptions
        {
            LogOffsets = moved.ToDictionary(p => Key(source, p.Key), p => p.Value.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal),
            ExpectedLogOffsets = moved.ToDictionary(
                p => Key(source, p.Key),
                p => _positions.TryGetValue(p.Key, out var at) ? at.ToString(CultureInfo.InvariantCulture) : null,
                StringComparer.Ordinal),
        }, ct).ConfigureAwait(false);
        foreach (var (partition, offset) in moved) _positions[partition] = offset;
        return result;
    }
}
