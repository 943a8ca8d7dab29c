using Microsoft.Extensions.Logging;
using TableStore.Core.Diagnostics;
using TableStore.Core.Manifest;
using TableStore.Core.Table;

namespace TableStore.Core.Maintenance;

/// <summary>
/// Removes old snapshots and then the files only they referenced. A file stays while any retained snapshot,
/// any tag or any consumer's next snapshot needs it. Order matters for readers and crashes:
/// <list type="number">
/// <item>Snapshot files go first, oldest first, so the retained ids stay contiguous and no reader can open a
/// snapshot whose files are half gone.</item>
/// <item>Then data files: those an expired snapshot's commit removed (its delta's DELETE entries) are the only
/// candidates: a file's life is one interval of snapshots, so a file deleted before the first retained
/// snapshot is live in no retained one. Files a tag on an older snapshot still names are kept.</item>
/// <item>Then manifests and manifest lists named only by expired snapshots.</item>
/// </list>
/// A crash between the steps leaves unreferenced files, which orphan cleanup removes.
/// </summary>
public sealed class SnapshotExpiration(FileStoreTable table)
{
    private readonly ILogger _log = table.Loggers.CreateLogger<SnapshotExpiration>();

    public async Task<ExpireOutcome> RunAsync(ExpireOptions options, CancellationToken ct = default)
    {
        if (options.RetainLast < 1) throw new InvalidInputException($"The number of snapshots to retain must be 1 or more, got {options.RetainLast}: the latest snapshot is never expired.");
        var ids = await table.Snapshots.ListIdsAsync(ct).ConfigureAwait(false);
        if (ids.Count == 0) return new ExpireOutcome(0, null, 0, 0, 0);
        long earliest = ids[0], latest = ids[^1];

        // The first snapshot to keep: the last N are kept; with an age limit, so is everything younger.
        long retainFrom = Math.Max(earliest, latest - options.RetainLast + 1);
        if (options.OlderThan is { } age)
        {
            long cutoff = (table.Time.GetUtcNow() - age).ToUnixTimeMilliseconds();
            for (long id = earliest; id < retainFrom; id++)
            {
                var s = await table.Snapshots.TryGetAsync(id, ct).ConfigureAwait(false);
                if (s is null) continue;
                if (s.TimeMillis >= cutoff) { retainFrom = id; break; }
            }
        }
        retainFrom = Math.Max(retainFrom, latest - options.RetainMax + 1);
        long unprotected = retainFrom;
        if (await table.Consumers.MinNextSnapshotAsync(ct).ConfigureAwait(false) is { } needed)
            retainFrom = Math.Max(earliest, Math.Min(retainFrom, needed));
        int byConsumers = (int)Math.Max(0, unprotected - retainFrom);
        if (retainFrom <= earliest) return new ExpireOutcome(0, earliest, 0, 0, byConsumers);

        var expired = new List<Snapshot>();
        for (long id = earliest; id < retainFrom; id++)
            if (await table.Snapshots.TryGetAsync(id, ct).ConfigureAwait(false) is { } s) expired.Add(s);
        var firstRetained = await table.Snapshots.GetAsync(retainFrom, ct).ConfigureAwait(false);

        // Plan everything before deleting anything: a failure while planning deletes nothing.
        // Files the expired snapshots' own commits removed. Those the first retained snapshot removes stay until it
        // expires too: a streaming reader of its changes (an overwrite's before-image) still reads them.
        var dataCandidates = new Dictionary<FileIdentity, ManifestEntry>();
        foreach (var s in expired)
        {
            foreach (var m in await table.Manifests.ReadManifestListAsync(s.DeltaManifestList, ct).ConfigureAwait(false))
                foreach (var e in await table.Manifests.ReadManifestAsync(m.FileName, ct).ConfigureAwait(false))
                    if (e.Kind == FileKind.Delete) dataCandidates[e.Identity] = e;
            // Changelog files belong to their snapshot alone.
            if (s.ChangelogManifestList is { } changelog)
                foreach (var m in await table.Manifests.ReadManifestListAsync(changelog, ct).ConfigureAwait(false))
                    foreach (var e in await table.Manifests.ReadManifestAsync(m.FileName, ct).ConfigureAwait(false))
                        dataCandidates[e.Identity] = e;
        }
        var keptLists = new HashSet<string>();
        var keptManifests = new HashSet<string>();
        var tags = await table.Tags.ListAsync(ct).ConfigureAwait(false);
        await KeepAsync(tags.Select(t => t.Snapshot).Where(s => s.Id < retainFrom).Append(firstRetained), retainFrom, dataCandidates, keptLists, keptManifests, ct).ConfigureAwait(false);
        var listCandidates = expired.SelectMany(ManifestLists).Where(l => !keptLists.Contains(l)).Distinct().ToList();
        var manifestCandidates = new HashSet<string>();
        foreach (var list in expired.SelectMany(ManifestLists).Distinct())
            foreach (var m in await table.Manifests.ReadManifestListAsync(list, ct).ConfigureAwait(false))
                if (!keptManifests.Contains(m.FileName)) manifestCandidates.Add(m.FileName);

        // 1. Snapshots, oldest first.
        foreach (var s in expired)
            await table.Snapshots.DeleteAsync(s.Id, ct).ConfigureAwait(false);
        // A tag created on an expiring snapshot while this ran (before its file went) keeps what it names.
        var planned = tags.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var late = (await table.Tags.ListAsync(ct).ConfigureAwait(false)).Where(t => !planned.Contains(t.Name) && t.Snapshot.Id < retainFrom).ToList();
        if (late.Count > 0)
        {
            await KeepAsync(late.Select(t => t.Snapshot), retainFrom, dataCandidates, keptLists, keptManifests, ct).ConfigureAwait(false);
            listCandidates.RemoveAll(keptLists.Contains);
            manifestCandidates.ExceptWith(keptManifests);
        }
        // 2. Data files.
        foreach (var e in dataCandidates.Values)
            await table.Store.DeleteAsync(table.Paths.DataFile(table.Schema.PartitionKeys, e.Partition, e.Bucket, e.File.FileName), ct).ConfigureAwait(false);
        // 3. Manifests and manifest lists.
        foreach (var name in manifestCandidates.Concat(listCandidates))
            await table.Store.DeleteAsync(table.Paths.ManifestFile(name), ct).ConfigureAwait(false);

        var tagsMetric = TableStoreMetrics.Table(table.Paths.TableName);
        TableStoreMetrics.SnapshotsExpired.Add(expired.Count, tagsMetric);
        TableStoreMetrics.FilesDeleted.Add(dataCandidates.Count + manifestCandidates.Count + listCandidates.Count, tagsMetric);
        _log.SnapshotsExpired(earliest, retainFrom - 1, table.Paths.TableName, dataCandidates.Count, manifestCandidates.Count + listCandidates.Count, byConsumers);
        return new ExpireOutcome(expired.Count, retainFrom, dataCandidates.Count, manifestCandidates.Count + listCandidates.Count, byConsumers);
    }

    /// <summary>Takes what <paramref name="snapshots"/> need out of the deletion candidates.</summary>
    private async Task KeepAsync(IEnumerable<Snapshot> snapshots, long retainFrom, Dictionary<FileIdentity, ManifestEntry> dataCandidates,
        HashSet<string> keptLists, HashSet<string> keptManifests, CancellationToken ct)
    {
        foreach (var snapshot in snapshots)
        {
            foreach (var list in ManifestLists(snapshot))
            {
                keptLists.Add(list);
                foreach (var m in await table.Manifests.ReadManifestListAsync(list, ct).ConfigureAwait(false)) keptManifests.Add(m.FileName);
            }
            if (snapshot.Id < retainFrom)
                foreach (var e in await table.Manifests.ReadLiveFilesAsync(snapshot.BaseManifestList, null, ct).ConfigureAwait(false))
                    dataCandidates.Remove(e.Identity);
        }
    }

    internal static IEnumerable<string> ManifestLists(Snapshot s)
    {
        yield return s.BaseManifestList;
        yield return s.DeltaManifestList;
        if (s.ChangelogManifestList is { } c) yield return c;
    }
}
