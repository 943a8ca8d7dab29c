using Microsoft.Extensions.Logging;
using TableStore.Core.Commit;
using TableStore.Core.Diagnostics;
using TableStore.Core.Format;
using TableStore.Core.Manifest;
using TableStore.Core.MergeTree.Compaction;
using TableStore.Core.Schema;

namespace TableStore.Core.Table;

/// <summary>
/// A compaction job: plans units per bucket from the latest snapshot, rewrites them in parallel (one bucket per
/// core) and commits the result as one COMPACT snapshot. A compaction never changes what a reader sees. If
/// another compaction or an overwrite removed an input file meanwhile, the commit is refused as a conflict;
/// the job deletes its output and plans again.
/// </summary>
public sealed class TableCompactor(FileStoreTable handle)
{
    private readonly ILogger _log = handle.Loggers.CreateLogger<TableCompactor>();

    private async Task<FileStoreTable> LatestSchemaAsync(CancellationToken ct)
    {
        var schema = await handle.Schemas.LatestAsync(ct).ConfigureAwait(false) ?? handle.Schema;
        return schema.Id == handle.Schema.Id ? handle : handle.WithSchema(schema);
    }

    public static UniversalCompaction Universal(CoreOptions o) =>
        new(o.CompactionTrigger, o.MaxSizeAmplificationPercent, o.SizeRatio, o.NumLevels);

    public static AppendCompaction Append(CoreOptions o) =>
        new(o.TargetFileSize, o.CompactionMinFileNum, o.CompactionMaxFileNum);

    /// <summary>The unit to compact in one bucket now, or null.</summary>
    public static CompactUnit? Pick(TableSchema schema, IReadOnlyList<DataFileMeta> files, bool full)
    {
        var o = schema.CoreOptions;
        if (schema.Kind == TableKind.AppendOnly) return Append(o).Pick(files, full);
        var runs = SortedRun.Of(files);
        return full ? Universal(o).PickFull(runs, retractionsDropped: schema.MergeSpec.SequenceFields.Length == 0) : Universal(o).Pick(runs);
    }

    public async Task<CompactOutcome> RunAsync(CompactOptions options, CancellationToken ct = default)
    {
        for (int attempt = 1; ; attempt++)
        {
            // Rewrite with the newest schema: a file written after an alter holds columns an older schema would
            // not read, and the rewrite would drop them.
            var table = await LatestSchemaAsync(ct).ConfigureAwait(false);
            var latest = await table.Snapshots.LatestAsync(ct).ConfigureAwait(false);
            if (latest is null) return CompactOutcome.Nothing;
            var work = await PlanAsync(table, latest, options, ct).ConfigureAwait(false);
            if (work.Count == 0) return CompactOutcome.Nothing;
            var totalBuckets = work.ToDictionary(w => (PartitionKey.Of(w.Partition), w.Bucket), w => w.TotalBuckets);

            var results = await ExecuteAsync(table, work, options.Progress, ct).ConfigureAwait(false);
            // A compaction keeps its bucket's count: a partition not rescaled yet keeps the count its keys were routed by.
            var messages = results.Select(r => new CommitMessage(r.Partition, r.Bucket, totalBuckets[(PartitionKey.Of(r.Partition), r.Bucket)], [], r.Before, r.After)
            {
                ChangelogFiles = r.Changelog,
            }).ToList();
            var commit = table.NewCommit("compact-" + Guid.NewGuid().ToString("N"));
            try
            {
                var result = await commit.CommitAsync(new CommitRequest(messages, 1) { Kind = CommitKind.Compact, BaseSnapshotId = latest.Id }, ct).ConfigureAwait(false);
                var tags = TableStoreMetrics.Table(table.Paths.TableName);
                TableStoreMetrics.Compactions.Add(results.Count, tags);
                TableStoreMetrics.CompactionBytesRead.Add(results.Sum(r => r.BytesRead), tags);
                var outcome = new CompactOutcome(result.SnapshotId, results.Count, results.Sum(r => r.Before.Count), results.Sum(r => r.After.Count),
                    results.Sum(r => r.BytesRead), results.Sum(r => r.BytesWritten), results.Sum(r => r.RowsRead), results.Sum(r => r.RowsWritten));
                _log.BucketsCompacted(outcome.Buckets, table.Paths.TableName, outcome.SnapshotId, outcome.FilesBefore, outcome.BytesRead, outcome.FilesAfter, outcome.BytesWritten);
                return outcome;
            }
            catch (CommitConflictException e)
            {
                // Refused before anything was committed: the output is certainly unreferenced.
                TableStoreMetrics.CompactionConflicts.Add(1, TableStoreMetrics.Table(table.Paths.TableName));
                await DeleteOutputAsync(table, results).ConfigureAwait(false);
                if (attempt >= options.MaxAttempts) throw;
                _log.CompactionConflicted(table.Paths.TableName, e.Message, attempt);
            }
        }
    }

    private static async Task<List<(object?[] Partition, int Bucket, int TotalBuckets, CompactUnit Unit)>> PlanAsync(FileStoreTable table, Snapshot latest, CompactOptions options, CancellationToken ct)
    {
        var live = await table.Manifests.ReadLiveFilesAsync(latest.BaseManifestList, null, ct).ConfigureAwait(false);
        var work = new List<(object?[], int, int, CompactUnit)>();
        foreach (var bucket in live.GroupBy(e => (Partition: PartitionKey.Of(e.Partition), e.Bucket)))
        {
            var first = bucket.First();
            if (!options.Partitions.Matches(first.Partition)) continue;
            if (options.Buckets is not null && !options.Buckets.Contains(bucket.Key)) continue;
            if (bucket.Any(e => e.File.SchemaId > table.Schema.Id)) continue; // an alter landed after the reload: next time
            if (Pick(table.Schema, bucket.Select(e => e.File).ToList(), options.Full) is { } unit)
                work.Add((first.Partition, first.Bucket, first.TotalBuckets, unit));
        }
        return work;
    }

    private async Task<List<CompactResult>> ExecuteAsync(FileStoreTable table, List<(object?[] Partition, int Bucket, int TotalBuckets, CompactUnit Unit)> work, IProgress<CompactProgress>? progress, CancellationToken ct)
    {
        var compactor = new BucketCompactor(table.Schema, table.NewDataFileReader(), new DataFileWriter(table.Store, table.Paths, table.Schema, table.Time));
        var results = new List<CompactResult>(work.Count);
        long read = 0, written = 0;
        try
        {
            await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct },
                async (w, token) =>
                {
                    var r = await compactor.CompactAsync(w.Partition, w.Bucket, w.Unit, token).ConfigureAwait(false);
                    lock (results)
                    {
                        results.Add(r);
                        read += r.BytesRead;
                        written += r.BytesWritten;
                        progress?.Report(new CompactProgress(results.Count, work.Count, read, written));
                    }
                }).ConfigureAwait(false);
        }
        catch
        {
            await DeleteOutputAsync(table, results).ConfigureAwait(false);
            throw;
        }
        return results;
    }

    private async Task DeleteOutputAsync(FileStoreTable table, IEnumerable<CompactResult> results)
    {
        foreach (var r in results)
            foreach (var f in r.After.Concat(r.Changelog))
            {
                try { await table.Store.DeleteAsync(table.Paths.DataFile(table.Schema.PartitionKeys, r.Partition, r.Bucket, f.FileName), CancellationToken.None).ConfigureAwait(false); }
                catch (Exception e) when (e is IOException or TableStoreException)
                {
                    _log.CompactionOutputDeleteFailed(e, f.FileName);
                }
            }
    }
}
