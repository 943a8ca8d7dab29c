using Microsoft.Extensions.Logging;
using TableStore.Core.Diagnostics;
using TableStore.Core.Manifest;
using TableStore.Core.Table;

namespace TableStore.Core.Maintenance;

/// <summary>
/// Finds data files, manifests and manifest lists that no retained snapshot and no tag references (left by
/// failed or abandoned writes, crashed expirations, deleted tags), and removes those older than a threshold.
/// Every manifest a retained snapshot or tag names, every data file live in one and every file its own commit
/// added or removed (a streaming reader reads them) is kept; snapshots
/// committed while the listing runs are read again at the end, so a file is never deleted that a new commit names.
/// </summary>
public sealed class OrphanFilesClean(FileStoreTable table)
{
    private readonly ILogger _log = table.Loggers.CreateLogger<OrphanFilesClean>();

    public async Task<OrphanCleanOutcome> RunAsync(OrphanCleanOptions options, CancellationToken ct = default)
    {
        if (options.OlderThan < TimeSpan.Zero) throw new InvalidInputException($"The age below which files are kept must not be negative, got {options.OlderThan}.");
        var cutoff = table.Time.GetUtcNow() - options.OlderThan;
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<long>();
        await AddReferencedAsync(referenced, seen, ct).ConfigureAwait(false);

        var candidates = new List<OrphanFile>();
        int young = 0;
        await foreach (var o in table.Store.ListAsync(table.Paths.Root + "/", ct).ConfigureAwait(false))
        {
            if (!IsCleanable(o.Path) || referenced.Contains(o.Path)) continue;
            if (o.LastModified > cutoff) { young++; continue; }
            candidates.Add(new OrphanFile(o.Path, o.Size, o.LastModified));
        }
        // Commits that landed during the listing may name files listed above (written before the cutoff by a
        // slow writer): read the snapshot list again and keep whatever the new snapshots reference.
        await AddReferencedAsync(referenced, seen, ct).ConfigureAwait(false);
        candidates.RemoveAll(c => referenced.Contains(c.Path));

        if (!options.DryRun)
        {
            foreach (var c in candidates) await table.Store.DeleteAsync(c.Path, ct).ConfigureAwait(false);
            TableStoreMetrics.FilesDeleted.Add(candidates.Count, TableStoreMetrics.Table(table.Paths.TableName));
            long bytes = candidates.Sum(c => c.Size);
            _log.OrphanFilesRemoved(candidates.Count, bytes, table.Paths.TableName);
        }
        return new OrphanCleanOutcome(candidates, !options.DryRun, young);
    }

    /// <summary>
    /// Only files the engine writes under generated names, and parts staged for uploads (never referenced; one older
    /// than the threshold belongs to an upload given up); schemas, snapshots, hints, tags and consumers are never orphans.
    /// </summary>
    private bool IsCleanable(string path)
    {
        if (path.StartsWith(table.Paths.UploadDir, StringComparison.Ordinal)) return true;
        var name = path[(path.LastIndexOf('/') + 1)..];
        if (path.StartsWith(table.Paths.ManifestDir, StringComparison.Ordinal)) return name.StartsWith("manifest-", StringComparison.Ordinal);
        return (name.StartsWith(TablePaths.DataFilePrefix, StringComparison.Ordinal) || name.StartsWith(TablePaths.ChangelogFilePrefix, StringComparison.Ordinal))
            && name.EndsWith(".parquet", StringComparison.Ordinal)
            && !path.StartsWith(table.Paths.SnapshotDir, StringComparison.Ordinal) && !path.StartsWith(table.Paths.SchemaDir, StringComparison.Ordinal);
    }

    private async Task AddReferencedAsync(HashSet<string> referenced, HashSet<long> seen, CancellationToken ct)
    {
        var snapshots = new List<Snapshot>();
        foreach (var id in await table.Snapshots.ListIdsAsync(ct).ConfigureAwait(false))
        {
            if (!seen.Add(id)) continue;
            // A snapshot expired meanwhile: its files are the expiration's business.
            if (await table.Snapshots.TryGetAsync(id, ct).ConfigureAwait(false) is { } s) snapshots.Add(s);
        }
        snapshots.AddRange((await table.Tags.ListAsync(ct).ConfigureAwait(false)).Select(t => t.Snapshot));
        var listsDone = new HashSet<string>();
        foreach (var s in snapshots)
        {
            foreach (var list in SnapshotExpiration.ManifestLists(s))
            {
                if (!listsDone.Add(list)) continue;
                referenced.Add(table.Paths.ManifestFile(list));
                bool changes = list != s.BaseManifestList; // delta and changelog: every file they name is still read
                foreach (var m in await table.Manifests.ReadManifestListAsync(list, ct).ConfigureAwait(false))
                {
                    referenced.Add(table.Paths.ManifestFile(m.FileName));
                    if (!changes) continue;
                    foreach (var e in await table.Manifests.ReadManifestAsync(m.FileName, ct).ConfigureAwait(false))
                        referenced.Add(table.Paths.DataFile(table.Schema.PartitionKeys, e.Partition, e.Bucket, e.File.FileName));
                }
            }
            // Data files live in the snapshot (and, above, those its commit added or removed: a streaming reader
            // reads them for its changes). A file only older manifests still list (added, then deleted before
            // every retained snapshot) is dead everywhere: what a deleted tag or a crashed expiration leaves.
            foreach (var e in await table.Manifests.ReadLiveFilesAsync(s.BaseManifestList, null, ct).ConfigureAwait(false))
                referenced.Add(table.Paths.DataFile(table.Schema.PartitionKeys, e.Partition, e.Bucket, e.File.FileName));
        }
    }
}
