using TableStore.Core.Data;
using TableStore.Core.Format;
using TableStore.Core.Schema;

namespace TableStore.Core.MergeTree.Compaction;

/// <summary>
/// Rewrites the files of a <see cref="CompactUnit"/> as one sorted run. Primary-key files are merged with the
/// table's merge engine (keeping the newest sequence number of each key, so later writes still win), with
/// retractions dropped only when nothing older remains below; append-only files are concatenated in order.
/// The output is invisible until a COMPACT snapshot swaps it in.
/// </summary>
public sealed class BucketCompactor(TableSchema schema, DataFileReader reader, DataFileWriter writer)
{
    public async Task<CompactResult> CompactAsync(object?[] partition, int bucket, CompactUnit unit, CancellationToken ct = default)
    {
        var batches = new List<ColumnBatch>(unit.Files.Count);
        try
        {
            var inputs = schema.Kind == TableKind.PrimaryKey ? unit.Files : unit.Files.OrderBy(f => f.MinSequence).ToList();
            foreach (var f in inputs)
                batches.Add(await reader.ReadBatchAsync(partition, bucket, f, null, ct).ConfigureAwait(false));
            // With sequence.field a delete must outlive compaction: a late row with an older sequence value
            // arriving after it must still lose to it.
            bool drop = unit.DropRetractions && schema.MergeSpec.SequenceFields.Length == 0;
            var rows = schema.Kind == TableKind.PrimaryKey ? Merge(batches, drop) : Concatenate(batches);
            // A full compaction with the full-compaction producer: the changes since the previous full compaction are
            // the difference between its output (the inputs at the top level) and this one.
            List<KeyValue>? changelog = null;
            if (schema.Kind == TableKind.PrimaryKey && unit.DropRetractions && schema.CoreOptions.ChangelogProducer == ChangelogProducer.FullCompaction)
            {
                var previous = batches.Where((_, i) => inputs[i].Level == unit.OutputLevel).ToList();
                changelog = Diff(previous.Count == 0 ? [] : Merge(previous, dropRetractions: true), rows);
            }
            foreach (var b in batches) b.Dispose();
            batches.Clear();
            var after = rows.Count == 0 ? [] : await writer.WriteAsync(partition, bucket, rows, unit.OutputLevel, ct: ct).ConfigureAwait(false);
            var changes = changelog is { Count: > 0 } ? await writer.WriteAsync(partition, bucket, changelog, 0, Table.TablePaths.ChangelogFilePrefix, ct).ConfigureAwait(false) : [];
            return new CompactResult(partition, bucket, unit.Files, after) { Changelog = changes };
        }
        finally
        {
            foreach (var b in batches) b.Dispose();
        }
    }

    /// <summary>-D, +I, -U/+U per key from one merged, sorted state to the next (retractions count as absent).</summary>
    private List<KeyValue> Diff(List<KeyValue> before, List<KeyValue> after)
    {
        var keys = new KeyComparer(schema.KeyIndices, schema);
        var changes = new List<KeyValue>();
        int i = 0, j = 0;
        while (i < before.Count || j < after.Count)
        {
            if (j < after.Count && after[j].Kind.IsRetract()) { j++; continue; }
            int c = i >= before.Count ? 1 : j >= after.Count ? -1 : keys.Compare(before[i].Row, after[j].Row);
            if (c < 0) changes.Add(before[i++] with { Kind = RowKind.Delete });
            else if (c > 0) changes.Add(after[j++] with { Kind = RowKind.Insert });
            else
            {
                if (!before[i].Row.SequenceEqual(after[j].Row, ValueEquality.Instance))
                {
                    changes.Add(before[i] with { Kind = RowKind.UpdateBefore, Sequence = after[j].Sequence });
                    changes.Add(after[j] with { Kind = RowKind.UpdateAfter });
                }
                i++;
                j++;
            }
        }
        return changes;
    }

    private List<KeyValue> Merge(List<ColumnBatch> batches, bool dropRetractions)
    {
        var picks = new BatchMergeReader(batches, schema).Merge(MergeFunctions.Create(schema), dropRetractions);
        return [.. BatchMergeReader.Versions(batches, picks)];
    }

    /// <summary>
    /// Append-only rows in write order, numbered on from the first input's first sequence: an append-only file's
    /// sequences are contiguous by format (row i has minSequence + i), even when concurrent writers overlapped.
    /// </summary>
    private static List<KeyValue> Concatenate(List<ColumnBatch> batches)
    {
        var rows = new List<KeyValue>(batches.Sum(b => b.RowCount));
        long next = batches.Count == 0 || batches[0].RowCount == 0 ? 0 : batches[0].Sequences[0];
        foreach (var b in batches)
            for (int i = 0; i < b.RowCount; i++) rows.Add(new KeyValue(b.Row(i), next++, b.Kind(i)));
        return rows;
    }
}
