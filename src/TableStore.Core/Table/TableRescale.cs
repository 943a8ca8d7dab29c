using Microsoft.Extensions.Logging;
using TableStore.Core.Data;
using TableStore.Core.Manifest;
using TableStore.Core.Schema;

namespace TableStore.Core.Table;

/// <summary>
/// Changes a table's bucket count and rewrites its data (or some partitions') for it:
/// <list type="number">
/// <item>A new schema version with the new count. From then on, writes into a partition whose files were
/// written for the old count are refused (their keys would land in other buckets than their older versions).</item>
/// <item>The selected partitions are read at the latest snapshot S, written for the new count and committed as
/// one OVERWRITE that requires S to still be the latest snapshot, so no write committed meanwhile is lost;
/// otherwise it reads again.</item>
/// </list>
/// A crash between the steps leaves the table readable; running the rescale again finishes it.
/// </summary>
public static class TableRescale
{
    public static async Task<RescaleOutcome> RunAsync(Catalog catalog, Identifier id, int buckets, IReadOnlyDictionary<string, string>? partition, int maxAttempts = 5, CancellationToken ct = default)
    {
        var table = await catalog.GetTableAsync(id, ct).ConfigureAwait(false);
        var spec = PartitionSpec.Of(partition, table.Schema);
        int oldBuckets = table.Schema.BucketCount;
        if (buckets != oldBuckets)
        {
            // Validated like any schema (1..4096) before anything is read.
            table = await catalog.AlterTableAsync(id, [new SchemaChange.SetBucketCount(buckets)], ct).ConfigureAwait(false);
        }
        for (int attempt = 1; ; attempt++)
        {
            var latest = await table.Snapshots.LatestAsync(ct).ConfigureAwait(false);
            if (latest is null) return new RescaleOutcome(null, oldBuckets, buckets, 0, 0);
            var plan = await table.NewScan().PlanAsync(latest, null, ct).ConfigureAwait(false);
            var splits = plan.Splits.Where(s => spec.Matches(s.Partition)).ToList();
            var live = await table.Manifests.ReadLiveFilesAsync(latest.BaseManifestList, null, ct).ConfigureAwait(false);
            var selected = live.Where(e => spec.Matches(e.Partition)).ToList();
            if (selected.All(e => e.TotalBuckets == buckets))
                return new RescaleOutcome(null, oldBuckets, buckets, 0, 0); // nothing written for another count

            var rows = new List<ChangeRow>();
            var read = table.NewRead();
            var all = Enumerable.Repeat(true, table.Schema.Fields.Length).ToArray();
            foreach (var split in splits)
            {
                await using var prepared = await read.PrepareAsync(split, all, ct).ConfigureAwait(false);
                await foreach (var row in prepared.Rows(ct).ConfigureAwait(false)) rows.Add(new ChangeRow(RowKind.Insert, row));
            }
            try
            {
                var result = await table.WriteAndCommitAsync(rows, new WriteOptions
                {
                    Kind = CommitKind.Overwrite,
                    OverwritePartitions = spec,
                    RequireUnchangedSince = latest.Id,
                    RowsAreMerged = true,
                }, ct).ConfigureAwait(false);
                int partitions = selected.Select(e => PartitionKey.Of(e.Partition)).Distinct().Count();
                table.Loggers.CreateLogger(typeof(TableRescale)).TableRescaled(id, buckets, partitions, rows.Count, result?.SnapshotId);
                return new RescaleOutcome(result?.SnapshotId, oldBuckets, buckets, partitions, rows.Count);
            }
            catch (CommitConflictException) when (attempt < maxAttempts)
            {
                // A write landed after the read: read again so it is part of the rewrite.
            }
        }
    }
}
