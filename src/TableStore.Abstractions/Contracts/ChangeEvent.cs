using TableStore.Core.Data;
using TableStore.Core.Manifest;
using TableStore.Core.Serialization;
using TableStore.Core.Streaming;

namespace TableStore.Abstractions;

/// <summary>
/// One snapshot's changes as published on the table's Orleans stream (and returned by catch-up reads): the table,
/// snapshot id, commit kind and the rows with their kinds (<see cref="RowBatchCodec"/>-encoded). Only committed
/// snapshots are ever published. On a stream, a snapshot's encoded rows may come in several parts (<see cref="Split"/>,
/// so each fits one message: Kafka's limit), which a subscriber joins before it decodes them; a snapshot too large to
/// publish comes as a marker (<see cref="ReadFromLake"/>) telling subscribers to read it from the lake now.
/// </summary>
[GenerateSerializer, Immutable, Alias("TableStore.ChangeEvent")]
public sealed record ChangeEvent(
    [property: Id(0)] string Table,
    [property: Id(1)] long SnapshotId,
    [property: Id(2)] CommitKind Kind,
    [property: Id(3)] long TimeMillis,
    [property: Id(4)] byte[] Rows,
    [property: Id(5)] bool IsFullSnapshot)
{
    /// <summary>This part's index, 0 to <see cref="Parts"/> - 1.</summary>
    [Id(6)] public int Part { get; init; }

    /// <summary>How many parts the snapshot's rows were split into (1: this event holds them all).</summary>
    [Id(7)] public int Parts { get; init; } = 1;

    /// <summary>No rows here: the snapshot is too large to publish, and subscribers read it from the lake.</summary>
    [Id(8)] public bool ReadFromLake { get; init; }

    /// <summary>The schema the rows were read with (their columns); -1: not said (a publisher from before this was added).</summary>
    [Id(9)] public long SchemaId { get; init; } = -1;

    public bool IsPart => Parts > 1;

    /// <summary>The marker published instead of a snapshot too large to send (<see cref="ReadFromLake"/>).</summary>
    public static ChangeEvent InLake(string table, long snapshotId, CommitKind kind, long timeMillis) =>
        new(table, snapshotId, kind, timeMillis, [], false) { ReadFromLake = true };

    /// <summary>
    /// This event as parts whose encoded rows are at most <paramref name="maxRowBytes"/> each (itself, when it fits):
    /// the encoding cut into consecutive slices, so joining them gives back exactly these bytes.
    /// </summary>
    public IReadOnlyList<ChangeEvent> Split(int maxRowBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRowBytes, 1);
        if (Rows.Length <= maxRowBytes) return [this];
        int parts = (int)((Rows.Length + (long)maxRowBytes - 1) / maxRowBytes);
        return [.. Enumerable.Range(0, parts).Select(p => this with { Rows = Rows[(p * maxRowBytes)..Math.Min(Rows.Length, (p + 1) * maxRowBytes)], Part = p, Parts = parts })];
    }

    /// <summary>The whole event from all its parts (any order; each part once).</summary>
    public static ChangeEvent Join(IReadOnlyList<ChangeEvent> parts)
    {
        var ordered = parts.OrderBy(p => p.Part).ToList();
        if (ordered.Count == 0 || ordered.Count != ordered[0].Parts || ordered.Select((p, i) => p.Part != i || p.SnapshotId != ordered[0].SnapshotId).Any(bad => bad))
            throw new ArgumentException($"Parts of a change event must be all {ordered.FirstOrDefault()?.Parts} parts of one snapshot, each once.", nameof(parts));
        var rows = new byte[ordered.Sum(p => p.Rows.Length)];
        int at = 0;
        foreach (var p in ordered)
        {
            p.Rows.CopyTo(rows, at);
            at += p.Rows.Length;
        }
        return ordered[0] with { Rows = rows, Part = 0, Parts = 1 };
    }

    public static ChangeEvent From(string table, ChangeBatch batch) => new(table, batch.SnapshotId, batch.Kind, batch.TimeMillis,
        RowBatchCodec.Encode(batch.Rows.Select(r => (byte)r.Kind).ToArray(), batch.Rows.Select(r => r.Values).ToList()), batch.IsFullSnapshot);

    public ChangeBatch ToBatch()
    {
        var (kinds, rows) = RowBatchCodec.Decode(Rows);
        var changes = new ChangeRow[rows.Length];
        for (int i = 0; i < rows.Length; i++) changes[i] = new ChangeRow(RowKindExtensions.FromByte(kinds[i]), rows[i]);
        return new ChangeBatch(SnapshotId, Kind, TimeMillis, changes) { IsFullSnapshot = IsFullSnapshot };
    }
}

