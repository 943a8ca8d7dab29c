namespace TableStore.Ingest.Kafka;

/// <summary>Why an ingestion stopped without an error.</summary>
public enum IngestStopReason
{
    /// <summary>It read <see cref="KafkaIngestOptions.MaxMessages"/> messages.</summary>
    MaxMessages,
    /// <summary>No message arrived for <see cref="KafkaIngestOptions.UntilIdle"/>.</summary>
    Idle,
    /// <summary>It was asked to stop (Ctrl+C, a job stopped).</summary>
    Cancelled,
}

/// <summary>What an ingestion did so far: every message counted once, by what became of it.</summary>
/// <param name="Messages">Messages read: <paramref name="Rows"/>' sources, tombstones, skipped and dead-lettered ones.</param>
/// <param name="Rows">Rows committed to the table (an update that moves a key gives two).</param>
/// <param name="Tombstones">Messages without a value, skipped.</param>
/// <param name="Skipped">Malformed events skipped (<see cref="MalformedEventPolicy.Skip"/>).</param>
/// <param name="DeadLettered">Malformed events copied to the dead-letter topic.</param>
/// <param name="Snapshots">Snapshots committed.</param>
/// <param name="LastSnapshotId">The last of them, if any.</param>
/// <param name="Positions">Partition → next offset, as committed in the table.</param>
public sealed record IngestProgress(
    long Messages, long Rows, long Tombstones, long Skipped, long DeadLettered, long Snapshots, long? LastSnapshotId,
    IReadOnlyDictionary<int, long> Positions);

/// <summary>An ingestion that ended without an error: what it did and why it stopped.</summary>
public sealed record IngestOutcome(IngestProgress Progress, IngestStopReason StoppedBecause);
