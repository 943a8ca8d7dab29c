using TableStore.Core.Data;
using TableStore.Core.Format;
using TableStore.Core.Schema;

namespace TableStore.Core.MergeTree.Compaction;

/// <summary>
/// Rewrites the files of a <see cref="CompactUnit"/> as one sorted run. Primary-key files are merged with the
/// table's merge engine (keeping the newest sequence number of each key, so later writes still win), with
/// retractions dropped only when nothing older remains below; append-only files are concatenated in order.
/// The output is invisible until a COMPACT snapshot swaps it in. Inputs are read and the output written a row group at
/// a time, so a compaction's memory does not grow with the bucket.
/// </summary>
public sealed class BucketCompactor(TableSchema schema, DataFileReader reader, DataFileWriter writer)
{
    public async Task<CompactResult> CompactAsync(object?[] partition, int bucket, CompactUnit unit, CancellationToken ct = default)
    {
        // With sequence.field a delete must outlive compaction: a late row with an older sequence value
        // arriving after it must still lose to it.
        bool drop = unit.DropRetractions && schema.MergeSpec.SequenceFields.Length == 0;
        if (schema.Kind == TableKind.PrimaryKey && unit.DropRetractions && schema.CoreOptions.ChangelogProducer == ChangelogProducer.FullCompaction)
            return await CompactWithChangelogAsync(partition, bucket, unit, drop, ct).ConfigureAwait(false);

        // Streamed: a row group per input file and a row group of output are in memory, whatever the bucket's size.
        await using var run = writer.NewRun(partition, bucket, unit.OutputLevel);
        if (schema.Kind == TableKind.PrimaryKey)
        {
            await using var merge = await MergeAsync(partition, bucket, unit.Files, drop, ct).ConfigureAwait(false);
            // The merged rows are copied, typed and unboxed, into a row group's worth of columns, which is encoded
            // whenever it is full: the merge's batches change under its picks from one segment to the next.
            using var group = new Memtable(schema, stringsAsUtf8: false);
            int groupRows = schema.CoreOptions.RowGroupRows;
            var positions = new int[groupRows];
            for (int i = 0; i < positions.Length; i++) positions[i] = i;
            while (await merge.NextAsync(ct).ConfigureAwait(false) is { } segment)
            {
                for (int i = 0; i < segment.Count; i++)
                {
                    segment.CopyTo(i, group);
                    if (group.Count < groupRows) continue;
                    await run.AddAsync(group, positions, ct).ConfigureAwait(false);
                    await run.ReleaseSourceAsync(ct).ConfigureAwait(false);
                    group.Clear();
                }
            }
            await run.AddAsync(group, positions.AsMemory(0, group.Count), ct).ConfigureAwait(false);
            await run.ReleaseSourceAsync(ct).ConfigureAwait(false);
        }
        else await ConcatenateAsync(partition, bucket, unit.Files, run, ct).ConfigureAwait(false);
        return new CompactResult(partition, bucket, unit.Files, await run.CompleteAsync(ct).ConfigureAwait(false));
    }

    /// <summary>
    /// A full compaction with the full-compaction producer: the changes since the previous full compaction are the
    /// difference between its output (the inputs at the top level) and this one, so both merged states are held whole.
    /// </summary>
    private async Task<CompactResult> CompactWithChangelogAsync(object?[] partition, int bucket, CompactUnit unit, bool drop, CancellationToken ct)
    {
        var rows = await MergeWholeAsync(partition, bucket, unit.Files, drop, ct).ConfigureAwait(false);
        var previous = unit.Files.Where(f => f.Level == unit.OutputLevel).ToList();
        var changelog = Diff(previous.Count == 0 ? [] : await MergeWholeAsync(partition, bucket, previous, dropRetractions: true, ct).ConfigureAwait(false), rows);
        var after = await writer.WriteAsync(partition, bucket, rows, unit.OutputLevel, ct: ct).ConfigureAwait(false);
        var changes = changelog.Count > 0 ? await writer.WriteAsync(partition, bucket, changelog, 0, Table.TablePaths.ChangelogFilePrefix, ct).ConfigureAwait(false) : [];
        return new CompactResult(partition, bucket, unit.Files, after) { Changelog = changes };
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

    private async Task<BatchMergeReader> MergeAsync(object?[] partition, int bucket, IReadOnlyList<Manifest.DataFileMeta> files, bool dropRetractions, CancellationToken ct) =>
        new(await reader.OpenAllAsync(partition, bucket, files, null, ct).ConfigureAwait(false), schema, MergeFunctions.Create(schema), dropRetractions);

    private async Task<List<KeyValue>> MergeWholeAsync(object?[] partition, int bucket, IReadOnlyList<Manifest.DataFileMeta> files, bool dropRetractions, CancellationToken ct)
    {
        var rows = new List<KeyValue>();
        await using var merge = await MergeAsync(partition, bucket, files, dropRetractions, ct).ConfigureAwait(false);
        while (await merge.NextAsync(ct).ConfigureAwait(false) is { } segment)
            for (int i = 0; i < segment.Count; i++) rows.Add(segment.Version(i));
        return rows;
    }

    /// <summary>
    /// Append-only rows in write order, numbered on from the first input's first sequence: an append-only file's
    /// sequences are contiguous by format (row i has minSequence + i), even when concurrent writers overlapped.
    /// </summary>
    private async Task ConcatenateAsync(object?[] partition, int bucket, IReadOnlyList<Manifest.DataFileMeta> files, RollingFileWriter run, CancellationToken ct)
    {
        var ordered = files.OrderBy(f => f.MinSequence).ToList();
        long next = ordered.Count == 0 ? 0 : ordered[0].MinSequence;
        var piece = new List<KeyValue>();
        foreach (var f in ordered)
        {
            await using var file = await reader.OpenAsync(partition, bucket, f, null, readAhead: true, ct).ConfigureAwait(false);
            while (await file.NextAsync(ct).ConfigureAwait(false) is { } batch)
            {
                using (batch)
                {
                    piece.Clear();
                    for (int i = 0; i < batch.RowCount; i++) piece.Add(new KeyValue(batch.Row(i), next++, batch.Kind(i)));
                }
                await run.AddAsync(piece, ct).ConfigureAwait(false);
            }
        }
    }
}
