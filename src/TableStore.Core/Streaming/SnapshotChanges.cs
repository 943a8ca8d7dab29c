using TableStore.Core.Data;
using TableStore.Core.Format;
using TableStore.Core.Manifest;
using TableStore.Core.MergeTree;
using TableStore.Core.Scan;
using TableStore.Core.Schema;
using TableStore.Core.Table;

namespace TableStore.Core.Streaming;

/// <summary>
/// The changes of one snapshot (an incremental read), depending on its kind and the table's
/// <c>changelog-producer</c>:
/// <list type="bullet">
/// <item>APPEND with <c>none</c>: the rows the commit wrote, merged per key within the commit, with the kinds
/// they were written with (an upsert arrives as +I/+U, no -U before-image).</item>
/// <item><c>input</c>, <c>lookup</c>, <c>full-compaction</c>: the snapshot's changelog files, as the producer
/// wrote them (input rows as written; exact -U/+U/-D/+I pairs; the diff between full compactions).</item>
/// <item>COMPACT: nothing (readers see the same rows), unless <c>full-compaction</c> wrote a changelog.</item>
/// <item>OVERWRITE: the difference between the replaced partitions before and after, per key (-D, +I, -U/+U);
/// append-only tables get a -D for each replaced row and a +I for each new one.</item>
/// </list>
/// </summary>
public sealed class SnapshotChanges(FileStoreTable table)
{
    private readonly DataFileReader _reader = table.NewDataFileReader();

    public async Task<ChangeBatch> ReadAsync(Snapshot snapshot, CancellationToken ct = default)
    {
        // The producer the committer wrote with: a lookup commit that changed nothing has no changelog, and that
        // means no change, not "read the delta".
        var producer = (await table.Schemas.GetAsync(snapshot.SchemaId, ct).ConfigureAwait(false)).CoreOptions.ChangelogProducer;
        List<ChangeRow> rows;
        if (snapshot.CommitKind == CommitKind.Overwrite) rows = await OverwriteDiffAsync(snapshot, ct).ConfigureAwait(false);
        else if (snapshot.ChangelogManifestList is { } changelog) rows = await ReadChangelogAsync(changelog, ct).ConfigureAwait(false);
        else if (snapshot.CommitKind == CommitKind.Append && producer == ChangelogProducer.None) rows = await ReadDeltaAsync(snapshot, ct).ConfigureAwait(false);
        else rows = [];
        return new ChangeBatch(snapshot.Id, snapshot.CommitKind, snapshot.TimeMillis, rows);
    }

    /// <summary>An incremental scan: the changes of every snapshot after <paramref name="fromExclusive"/> up to <paramref name="toInclusive"/>, in order.</summary>
    public async IAsyncEnumerable<ChangeBatch> ReadRangeAsync(long fromExclusive, long toInclusive, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        for (long id = fromExclusive + 1; id <= toInclusive; id++)
            yield return await ReadAsync(await table.Snapshots.GetAsync(id, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
    }

    /// <summary>The whole table at the snapshot as +I rows.</summary>
    public async Task<ChangeBatch> ReadFullAsync(Snapshot snapshot, CancellationToken ct = default)
    {
        var scan = await table.ScanAsync(new ScanOptions { SnapshotId = snapshot.Id }, ct).ConfigureAwait(false);
        var rows = new List<ChangeRow>();
        await foreach (var r in scan.Rows.WithCancellation(ct).ConfigureAwait(false)) rows.Add(new ChangeRow(RowKind.Insert, r));
        return new ChangeBatch(snapshot.Id, snapshot.CommitKind, snapshot.TimeMillis, rows) { IsFullSnapshot = true };
    }

    private async Task<List<ManifestEntry>> EntriesAsync(string manifestList, CancellationToken ct)
    {
        var entries = new List<ManifestEntry>();
        foreach (var m in await table.Manifests.ReadManifestListAsync(manifestList, ct).ConfigureAwait(false))
            entries.AddRange(await table.Manifests.ReadManifestAsync(m.FileName, ct).ConfigureAwait(false));
        return entries;
    }

    private async Task<List<ChangeRow>> ReadDeltaAsync(Snapshot snapshot, CancellationToken ct)
    {
        var rows = new List<ChangeRow>();
        var added = (await EntriesAsync(snapshot.DeltaManifestList, ct).ConfigureAwait(false)).Where(e => e.Kind == FileKind.Add);
        foreach (var bucket in added.GroupBy(e => (PartitionKey.Of(e.Partition), e.Bucket)))
            rows.AddRange(await MergeAsync(bucket.First().Partition, bucket.Key.Bucket, bucket.Select(e => e.File).ToList(), keepRetractions: true, ct).ConfigureAwait(false));
        return rows;
    }

    /// <summary>Changelog files in commit order; within a file, rows in the order the producer wrote them.</summary>
    private async Task<List<ChangeRow>> ReadChangelogAsync(string manifestList, CancellationToken ct)
    {
        var rows = new List<ChangeRow>();
        foreach (var e in await EntriesAsync(manifestList, ct).ConfigureAwait(false))
        {
            if (e.Kind != FileKind.Add) continue;
            using var batch = await _reader.ReadBatchAsync(e.Partition, e.Bucket, e.File, null, ct).ConfigureAwait(false);
            for (int i = 0; i < batch.RowCount; i++) rows.Add(new ChangeRow(batch.Kind(i), batch.Row(i)));
        }
        return rows;
    }

    private async Task<List<ChangeRow>> OverwriteDiffAsync(Snapshot snapshot, CancellationToken ct)
    {
        var entries = await EntriesAsync(snapshot.DeltaManifestList, ct).ConfigureAwait(false);
        var rows = new List<ChangeRow>();
        foreach (var partition in entries.GroupBy(e => PartitionKey.Of(e.Partition)))
        {
            var before = new List<ChangeRow>();
            var after = new List<ChangeRow>();
            foreach (var bucket in partition.GroupBy(e => (e.Kind, e.Bucket)))
            {
                var merged = await MergeAsync(bucket.First().Partition, bucket.Key.Bucket, bucket.Select(e => e.File).ToList(), keepRetractions: false, ct).ConfigureAwait(false);
                (bucket.Key.Kind == FileKind.Delete ? before : after).AddRange(merged);
            }
            if (table.Schema.Kind == TableKind.AppendOnly)
            {
                rows.AddRange(before.Select(r => r with { Kind = RowKind.Delete }));
                rows.AddRange(after.Select(r => r with { Kind = RowKind.Insert }));
                continue;
            }
            var old = before.ToDictionary(r => KeyText(r.Values), r => r.Values);
            foreach (var r in after)
            {
                var key = KeyText(r.Values);
                if (old.Remove(key, out var previous))
                {
                    if (previous.SequenceEqual(r.Values, MergeTree.ValueEquality.Instance)) continue;
                    rows.Add(new ChangeRow(RowKind.UpdateBefore, previous));
                    rows.Add(new ChangeRow(RowKind.UpdateAfter, r.Values));
                }
                else rows.Add(new ChangeRow(RowKind.Insert, r.Values));
            }
            rows.AddRange(old.Values.Select(v => new ChangeRow(RowKind.Delete, v)));
        }
        return rows;
    }

    private string KeyText(object?[] row) => string.Join("\u0001", table.Schema.KeyIndices.Select(i => Values.Format(row[i])));

    /// <summary>One bucket's files merged (primary keys) or concatenated in write order (append-only), with kinds.</summary>
    private async Task<List<ChangeRow>> MergeAsync(object?[] partition, int bucket, List<DataFileMeta> files, bool keepRetractions, CancellationToken ct)
    {
        var rows = new List<ChangeRow>();
        if (table.Schema.Kind == TableKind.AppendOnly)
        {
            foreach (var f in files.OrderBy(f => f.MinSequence))
            {
                using var batch = await _reader.ReadBatchAsync(partition, bucket, f, null, ct).ConfigureAwait(false);
                for (int i = 0; i < batch.RowCount; i++) rows.Add(new ChangeRow(RowKind.Insert, batch.Row(i)));
            }
            return rows;
        }
        var opened = await _reader.OpenAllAsync(partition, bucket, files, null, ct).ConfigureAwait(false);
        await using var merge = new BatchMergeReader(opened, table.Schema, MergeFunctions.Create(table.Schema), dropRetractions: !keepRetractions);
        while (await merge.NextAsync(ct).ConfigureAwait(false) is { } segment)
            for (int i = 0; i < segment.Count; i++)
            {
                var v = segment.Version(i);
                rows.Add(new ChangeRow(v.Kind, v.Row));
            }
        return rows;
    }
}
