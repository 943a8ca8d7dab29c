using TableStore.Core.Diagnostics;
using TableStore.Core.Manifest;
using TableStore.Core.Schema;
using TableStore.Core.Tags;

namespace TableStore.Core.Scan;

/// <summary>
/// Plans a batch read of one snapshot: partitions and files whose stats cannot match the filter are skipped.
/// For primary-key tables only key and partition columns prune files: a file's non-key stats say nothing
/// about whether its rows are the latest version of their key.
/// </summary>
public sealed class TableScan(TableSchema schema, SnapshotManager snapshots, ManifestStore manifests, string tableName, TagManager? tags = null)
{
    public async Task<Snapshot?> ResolveSnapshotAsync(ScanOptions options, CancellationToken ct = default)
    {
        if (new[] { options.SnapshotId is not null, options.AsOf is not null, options.Tag is not null }.Count(x => x) > 1)
            throw new InvalidInputException("Give at most one of a snapshot id, a time and a tag to read.");
        if (options.Tag is { } tag)
            return await (tags ?? throw new InvalidOperationException("This scan has no tag manager.")).GetAsync(tag, ct).ConfigureAwait(false);
        if (options.SnapshotId is { } id) return await snapshots.GetAsync(id, ct).ConfigureAwait(false);
        if (options.AsOf is { } t) return await snapshots.AsOfAsync(t, ct).ConfigureAwait(false);
        return await snapshots.LatestAsync(ct).ConfigureAwait(false);
    }

    public async Task<ScanPlan> PlanAsync(Snapshot? snapshot, Predicate? filter, CancellationToken ct = default)
    {
        if (snapshot is null) return new ScanPlan(null, [], 0, 0);
        Func<ManifestFileMeta, bool>? manifestFilter = null;
        if (filter is not null && !schema.PartitionIndices.IsEmpty)
            manifestFilter = m => m.MinPartition is null || filter.MightMatch(f => PartitionRange(f, m.MinPartition, m.MaxPartition!));
        var live = await manifests.ReadLiveFilesAsync(snapshot.BaseManifestList, manifestFilter, ct).ConfigureAwait(false);

        var splits = new Dictionary<(PartitionKey, int), (object?[] Partition, int Bucket, List<DataFileMeta> Files)>();
        int skipped = 0;
        foreach (var e in live)
        {
            if (filter is not null && !filter.MightMatch(f => FileRange(f, e)))
            {
                skipped++;
                continue;
            }
            var key = (PartitionKey.Of(e.Partition), e.Bucket);
            if (!splits.TryGetValue(key, out var s)) splits[key] = s = (e.Partition, e.Bucket, []);
            s.Files.Add(e.File);
        }
        var ordered = splits.Values
            .Select(s => new DataSplit(s.Partition, s.Bucket, s.Files))
            .OrderBy(s => s.Partition, Comparer<object?[]>.Create(ManifestStore.ComparePartitions))
            .ThenBy(s => s.Bucket)
            .ToList();
        var table = TableStoreMetrics.Table(tableName);
        TableStoreMetrics.FilesScanned.Add(live.Count - skipped, table);
        TableStoreMetrics.FilesSkipped.Add(skipped, table);
        return new ScanPlan(snapshot, ordered, live.Count, skipped);
    }

    private ColumnRange PartitionRange(int field, object?[] min, object?[] max)
    {
        int p = schema.PartitionIndices.IndexOf(field);
        // Manifest ranges are lexicographic over the partition tuple: only the first column is a true range.
        if (p != 0) return ColumnRange.Unknown;
        return new ColumnRange(min[0], max[0], 0, 1);
    }

    private ColumnRange FileRange(int field, ManifestEntry e)
    {
        int p = schema.PartitionIndices.IndexOf(field);
        if (p >= 0) return new ColumnRange(e.Partition[p], e.Partition[p], 0, e.File.RowCount);
        if (schema.Kind == TableKind.PrimaryKey && !schema.KeyIndices.Contains(field)) return ColumnRange.Unknown;
        var stats = e.File.StatsFor(schema.Fields[field].Id);
        if (stats is null) return ColumnRange.Unknown;
        // Retractions in primary-key files may carry nulls in value columns; keys are never null.
        // Stats of a file written before its column was widened are of the old type: widen them too.
        var type = schema.Fields[field].Type;
        object? Typed(object? v) => v is null || v.GetType() == type.ClrType ? v : Data.Values.Coerce(v, type);
        return new ColumnRange(Typed(stats.Min), Typed(stats.Max), stats.NullCount, e.File.RowCount);
    }
}
