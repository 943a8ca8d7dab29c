using TableStore.Core.Data;
using TableStore.Core.Manifest;
using TableStore.Core.Serialization;
using TableStore.Core.Streaming;

namespace TableStore.Abstractions;

/// <summary>
/// One snapshot's changes as published on the table's Orleans stream (and returned by catch-up reads): the table,
/// snapshot id, commit kind and the rows with their kinds (<see cref="RowBatchCodec"/>-encoded). Only committed
/// snapshots are ever published.
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

