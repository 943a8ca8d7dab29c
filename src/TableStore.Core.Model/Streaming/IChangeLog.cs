namespace TableStore.Core.Streaming;

/// <summary>
/// A log on which a table's committed snapshots are published after their commit (the service's Kafka topic). A
/// streaming reader given one (Core's <c>StreamingReader</c>) follows it instead of polling the lake: it reads the log from the
/// positions a snapshot records in its <see cref="Manifest.Snapshot.LogOffsets"/> (at or before where the changes of
/// that snapshot and every later one are published), and reads from the lake whatever the log lacks or says to. The
/// lake stays the source of truth: an entry only saves a read.
/// </summary>
public interface IChangeLog : IAsyncDisposable
{
    /// <summary>Reads from the positions among <paramref name="logOffsets"/> that belong to this log on; false when there are none.</summary>
    bool Seek(IReadOnlyDictionary<string, string> logOffsets);

    /// <summary>The table's next entry, or null when none came within <paramref name="wait"/> (or the log could not be read).</summary>
    ValueTask<ChangeLogEntry?> ReadAsync(TimeSpan wait, CancellationToken ct);
}

/// <summary>
/// A snapshot's changes as published, with the id of the schema their rows were read with (a reader whose table has
/// another schema reads that snapshot from the lake, so its rows keep one shape); <see cref="Batch"/> null: not
/// published whole (too large, or unreadable here), read it from the lake.
/// </summary>
public sealed record ChangeLogEntry(long SnapshotId, ChangeBatch? Batch, long SchemaId);
