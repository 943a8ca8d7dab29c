using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TableStore.Core.Diagnostics;
using TableStore.Core.IO;
using TableStore.Core.Manifest;
using TableStore.Core.Schema;
using TableStore.Core.Table;

namespace TableStore.Core.Commit;

/// <summary>
/// The commit protocol. Invariants: a snapshot is visible only through <c>snapshot-N</c>, created with
/// put-if-absent after everything it names is durable; nothing a committed snapshot names is ever rewritten.
/// <list type="number">
/// <item>Read the latest snapshot L by listing (the hint is only a shortcut that is verified).</item>
/// <item>If a snapshot after the request's base carries this (commit user, identifier), it is already committed.</item>
/// <item>Check conflicts against L: deleted files must be live; primary-key buckets must not have received
/// rows with sequence numbers at or above ours.</item>
/// <item>Write the delta manifest (once), the new base manifest list (merging manifests when there are many)
/// and the delta manifest list, then put-if-absent <c>snapshot-(L+1)</c>.</item>
/// <item>Lost the race: delete this attempt's manifest lists and go to 1. A put whose outcome is unknown is
/// resolved by reading <c>snapshot-(L+1)</c>; files of an unknown outcome are never deleted.</item>
/// </list>
/// </summary>
public sealed class FileStoreCommit(
    IObjectStore store,
    TablePaths paths,
    TableSchema schema,
    SnapshotManager snapshots,
    ManifestStore manifests,
    string commitUser,
    TimeProvider time,
    ILogger? logger = null)
{
    private readonly ILogger _log = logger ?? NullLogger.Instance;

    public string CommitUser => commitUser;

    public async Task<CommitResult> CommitAsync(CommitRequest request, CancellationToken ct = default)
    {
        var started = time.GetTimestamp();
        var table = TableStoreMetrics.Table(paths.TableName);
        try
        {
            var result = await CommitOnceOrRetryAsync(request, ct).ConfigureAwait(false);
            if (!result.AlreadyCommitted) TableStoreMetrics.Commits.Add(1, table);
            TableStoreMetrics.CommitRetries.Add(result.Attempts - 1, table);
            TableStoreMetrics.CommitDuration.Record(time.GetElapsedTime(started).TotalMilliseconds, table);
            return result;
        }
        catch (Exception e) when (e is CommitConflictException or SequenceConflictException)
        {
            TableStoreMetrics.CommitConflicts.Add(1, table);
            throw;
        }
    }

    private async Task<CommitResult> CommitOnceOrRetryAsync(CommitRequest request, CancellationToken ct)
    {
        var changes = BuildEntries(request.Messages);
        var changelog = request.Messages.SelectMany(m => m.ChangelogFiles.Select(f => new ManifestEntry(FileKind.Add, m.Partition, m.Bucket, m.TotalBuckets, f))).ToList();
        ManifestFileMeta? delta = null, changelogManifest = null;
        int maxRetries = schema.CoreOptions.CommitMaxRetries;
        // Fenced by write id, only since a known base (the committer's last view): see FindCommittedAsync.
        var fence = request.BaseSnapshotId is null ? null : WriteIds.Decode(request.Properties).ToHashSet(StringComparer.Ordinal);
        for (int attempt = 1; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            var latest = await snapshots.LatestAsync(ct).ConfigureAwait(false);
            if (await FindCommittedAsync(latest, request.CommitIdentifier, request.BaseSnapshotId, fence, ct).ConfigureAwait(false) is { } done)
                return new CommitResult(done, AlreadyCommitted: true, attempt);

            if (request.RequireUnchangedSince is { } since)
            {
                // Compactions change files, not rows: only another kind of commit invalidates what was read.
                for (long later = since + 1; later <= (latest?.Id ?? 0); later++)
                {
                    var s = await snapshots.TryGetAsync(later, ct).ConfigureAwait(false);
                    if (s is null || s.CommitKind != CommitKind.Compact)
                        throw new CommitConflictException($"Commit to {paths.TableName} was prepared on snapshot {since}, but snapshot {later} changed the table meanwhile; read the table again.");
                }
            }
            CheckLogOffsets(request.ExpectedLogOffsets, latest);
            var live = latest is null ? [] : await manifests.ReadLiveFilesAsync(latest.BaseManifestList, null, ct).ConfigureAwait(false);
            var entries = request.Kind == CommitKind.Overwrite ? AddOverwriteDeletes(changes, live, request) : changes;
            CheckConflicts(entries, request.Messages, live, latest);

            if (request.Kind != CommitKind.Overwrite)
                delta ??= await manifests.WriteManifestAsync(entries, schema.Id, ct).ConfigureAwait(false);
            var attemptDelta = delta ?? await manifests.WriteManifestAsync(entries, schema.Id, ct).ConfigureAwait(false);

            var written = new List<string>();
            var baseManifests = await NewBaseAsync(latest, live, entries, attemptDelta, written, ct).ConfigureAwait(false);
            var baseList = await manifests.WriteManifestListAsync(baseManifests, ct).ConfigureAwait(false);
            written.Add(baseList);
            var deltaList = await manifests.WriteManifestListAsync([attemptDelta], ct).ConfigureAwait(false);
            written.Add(deltaList);
            string? changelogList = null;
            if (changelog.Count > 0)
            {
                changelogManifest ??= await manifests.WriteManifestAsync(changelog, schema.Id, ct).ConfigureAwait(false);
                changelogList = await manifests.WriteManifestListAsync([changelogManifest], ct).ConfigureAwait(false);
                written.Add(changelogList);
            }

            long added = entries.Where(e => e.Kind == FileKind.Add).Sum(e => e.File.RowCount);
            long removed = entries.Where(e => e.Kind == FileKind.Delete).Sum(e => e.File.RowCount);
            long id = (latest?.Id ?? 0) + 1;
            // Commit times never go backwards, so time travel by timestamp can binary-search snapshot ids.
            long now = Math.Max(time.GetUtcNow().ToUnixTimeMilliseconds(), latest?.TimeMillis ?? 0);
            var snapshot = new Snapshot(id, schema.Id, baseList, deltaList, changelogList, commitUser, request.CommitIdentifier, request.Kind,
                now, (latest?.TotalRecordCount ?? 0) + added - removed, added - removed, changelog.Sum(e => e.File.RowCount), null,
                MergeLogOffsets(latest?.LogOffsets, request.LogOffsets), request.Properties);

            bool won;
            try
            {
                won = await snapshots.TryCommitAsync(snapshot, ct).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                // Unknown outcome: the create may have happened. Read back what is at that id.
                _log.SnapshotCreateOutcomeUnknown(e, id, paths.TableName);
                var existing = await snapshots.TryGetAsync(id, ct).ConfigureAwait(false);
                if (existing is null) throw;
                won = existing.CommitUser == commitUser && existing.CommitIdentifier == request.CommitIdentifier;
                if (!won && attempt > maxRetries) throw;
            }

            if (won)
            {
                // Past the commit point: nothing may turn this success into a failure, not even cancellation.
                await snapshots.WriteLatestHintAsync(id, CancellationToken.None).ConfigureAwait(false);
                _log.SnapshotCommitted(id, paths.TableName, request.Kind, entries.Count, added - removed, attempt);
                return new CommitResult(id, AlreadyCommitted: false, attempt);
            }

            // Another committer took this id. Our manifest lists are referenced by nothing: remove them.
            foreach (var f in written) await TryDeleteAsync(paths.ManifestFile(f), ct).ConfigureAwait(false);
            if (request.Kind == CommitKind.Overwrite) await TryDeleteAsync(paths.ManifestFile(attemptDelta.FileName), ct).ConfigureAwait(false);
            _log.SnapshotRaceLost(id, paths.TableName, attempt);
            if (attempt > maxRetries)
                throw new CommitConflictException($"Commit to {paths.TableName} gave up after {attempt} attempts: other committers kept winning the race for the next snapshot.");
        }
    }


    private void CheckLogOffsets(IReadOnlyDictionary<string, string?>? expected, Snapshot? latest)
    {
        if (expected is null) return;
        foreach (var (key, value) in expected)
        {
            string? actual = latest is not null && latest.LogOffsets.TryGetValue(key, out var v) ? v : null;
            if (!string.Equals(actual, value, StringComparison.Ordinal))
                throw new CommitConflictException(
                    $"Commit to {paths.TableName} expected log position {key} at {value ?? "(none)"}, but {(latest is null ? "the table has no snapshot" : $"snapshot {latest.Id} records {actual ?? "(none)"}")}: " +
                    "another ingestion of the same log committed meanwhile; stop it, or restart this one to resume from the table's positions.");
        }
    }

    private static Dictionary<string, string> MergeLogOffsets(IReadOnlyDictionary<string, string>? latest, IReadOnlyDictionary<string, string>? request)
    {
        var merged = latest is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(latest, StringComparer.Ordinal);
        if (request is not null) foreach (var (key, value) in request) merged[key] = value;
        return merged;
    }
    private static List<ManifestEntry> BuildEntries(IReadOnlyList<CommitMessage> messages)
    {
        var entries = new List<ManifestEntry>();
        foreach (var m in messages)
        {
            foreach (var f in m.CompactBefore) entries.Add(new ManifestEntry(FileKind.Delete, m.Partition, m.Bucket, m.TotalBuckets, f));
            foreach (var f in m.NewFiles) entries.Add(new ManifestEntry(FileKind.Add, m.Partition, m.Bucket, m.TotalBuckets, f));
            foreach (var f in m.CompactAfter) entries.Add(new ManifestEntry(FileKind.Add, m.Partition, m.Bucket, m.TotalBuckets, f));
        }
        return entries;
    }

    private List<ManifestEntry> AddOverwriteDeletes(List<ManifestEntry> changes, List<ManifestEntry> live, CommitRequest request)
    {
        var targets = request.OverwritePartitions?.Select(p => PartitionKey.Of(TypedPartition(p))).ToHashSet();
        bool Replaced(object?[] partition) =>
            (targets is null || targets.Contains(PartitionKey.Of(partition))) && (request.OverwriteSpec is null || request.OverwriteSpec.Matches(partition));
        var result = live
            .Where(e => Replaced(e.Partition))
            .Select(e => e with { Kind = FileKind.Delete })
            .ToList();
        foreach (var c in changes)
        {
            if (!Replaced(c.Partition))
                throw new CommitConflictException($"Overwrite of partitions {(targets is null ? request.OverwriteSpec?.ToString() : string.Join("; ", targets))} writes a file into partition '{PartitionKey.Of(c.Partition)}', which it does not overwrite.");
            if (c.Kind == FileKind.Add) result.Add(c);
        }
        return result;
    }

    /// <summary>Partition values given by a caller, checked and normalised like row values (1.5 → 1.50).</summary>
    private object?[] TypedPartition(object?[] values)
    {
        var fields = schema.PartitionIndices.Select(i => schema.Fields[i]).ToList();
        if (values.Length != fields.Count)
            throw new InvalidInputException($"A partition of {paths.TableName} has {fields.Count} values ({string.Join(", ", fields.Select(f => f.Name))}), got {values.Length}.");
        return values.Select((v, i) => v is null
            ? throw new InvalidInputException($"Partition column '{fields[i].Name}' cannot be null.")
            : Data.Values.Coerce(v, fields[i].Type)).ToArray();
    }

    /// <summary>
    /// The snapshot carrying (this commit user, <paramref name="commitIdentifier"/>), searched newest first down to
    /// (excluding) <paramref name="sinceSnapshotId"/>; null searches every retained snapshot.
    /// </summary>
    public async Task<long?> FindCommittedAsync(long commitIdentifier, long? sinceSnapshotId, CancellationToken ct = default) =>
        await FindCommittedAsync(await snapshots.LatestAsync(ct).ConfigureAwait(false), commitIdentifier, sinceSnapshotId, fence: null, ct).ConfigureAwait(false);

    /// <summary>
    /// The snapshot this committer already made with <paramref name="commitIdentifier"/> after <paramref name="sinceSnapshotId"/>
    /// (an attempt whose outcome was unknown), or null. On the same walk, fencing by write id: if a snapshot other than
    /// a compaction holds one of <paramref name="fence"/>'s write ids (<see cref="WriteIds.SnapshotProperty"/>), another
    /// committer committed that write — the one that took over while this one's silo was paused and taken for dead,
    /// which must not commit it a second time when it resumes — and the commit stops with the outcome unknown: a retry
    /// of each write with its id says where it went.
    /// </summary>
    private async Task<long?> FindCommittedAsync(Snapshot? latest, long commitIdentifier, long? sinceSnapshotId, HashSet<string>? fence, CancellationToken ct)
    {
        if (latest is null) return null;
        long floor = sinceSnapshotId ?? (await snapshots.EarliestIdAsync(ct).ConfigureAwait(false) ?? 1) - 1;
        (string Write, long Snapshot)? elsewhere = null;
        for (long id = latest.Id; id > floor; id--)
        {
            var s = id == latest.Id ? latest : await snapshots.TryGetAsync(id, ct).ConfigureAwait(false);
            if (s is null) break; // expired below here
            if (s.CommitUser == commitUser && s.CommitIdentifier == commitIdentifier) return s.Id;
            if (fence is { Count: > 0 } && s.CommitKind != CommitKind.Compact && WriteIds.Decode(s.Properties).FirstOrDefault(fence.Contains) is { } write)
                elsewhere = (write, s.Id); // walking down: the earliest such snapshot is named
        }
        if (elsewhere is { } e)
            throw new WriteOutcomeUnknownException(
                $"Write {e.Write} to {paths.TableName} was committed in snapshot {e.Snapshot} by another committer while this one was preparing it (a committer taken for dead that resumed?); this commit stops. Retry each write with its id: the retry says whether it was committed.");
        return null;
    }

    private void CheckConflicts(List<ManifestEntry> entries, IReadOnlyList<CommitMessage> messages, List<ManifestEntry> live, Snapshot? latest)
    {
        // Partitions this commit replaces whole (an overwrite): their old files' bucket count does not matter.
        var overwritten = entries.Where(e => e.Kind == FileKind.Delete).Select(e => PartitionKey.Of(e.Partition)).ToHashSet();
        var liveIds = live.Select(e => e.Identity).ToHashSet();
        foreach (var e in entries.Where(e => e.Kind == FileKind.Delete))
            if (!liveIds.Contains(e.Identity))
                throw new CommitConflictException($"Commit to {paths.TableName} conflicts with snapshot {latest?.Id}: file '{e.File.FileName}' of partition '{PartitionKey.Of(e.Partition)}' bucket {e.Bucket} is no longer live (another compaction or overwrite removed it).");

        foreach (var m in messages)
        {
            // After a rescale a partition's keys live in other buckets: rows routed for the old count would
            // duplicate keys. Appends to a partition whose files were written for another count are refused.
            if (schema.Kind == TableKind.PrimaryKey && m.NewFiles.Count > 0 && m.CompactBefore.Count == 0 && !overwritten.Contains(PartitionKey.Of(m.Partition))
                && live.FirstOrDefault(e => e.TotalBuckets != m.TotalBuckets && PartitionKey.Of(e.Partition).Equals(PartitionKey.Of(m.Partition))) is { } other)
                throw new CommitConflictException($"Partition '{PartitionKey.Of(m.Partition)}' of {paths.TableName} holds files for {other.TotalBuckets} buckets, this write was routed for {m.TotalBuckets}: the table is being rescaled. Finish the rescale to {schema.BucketCount} buckets (it rewrites the rest of the table), then write again.");
            if (m.NewFiles.Count > 0 && m.TotalBuckets != schema.BucketCount)
                throw new CommitConflictException($"Commit to {paths.TableName} was written for {m.TotalBuckets} buckets, the table has {schema.BucketCount}.");
            if (schema.Kind != TableKind.PrimaryKey || m.NewFiles.Count == 0) continue;
            long ourMin = m.NewFiles.Min(f => f.MinSequence);
            var key = PartitionKey.Of(m.Partition);
            foreach (var e in live)
            {
                if (e.Bucket != m.Bucket || e.File.MaxSequence < ourMin || !PartitionKey.Of(e.Partition).Equals(key)) continue;
                throw new SequenceConflictException($"Bucket {m.Bucket} of partition '{key}' in {paths.TableName} received rows up to sequence {e.File.MaxSequence} from another writer (snapshot {latest?.Id}) after this writer started at sequence {ourMin}.");
            }
        }
    }

    private async Task<List<ManifestFileMeta>> NewBaseAsync(Snapshot? latest, List<ManifestEntry> live, List<ManifestEntry> entries,
        ManifestFileMeta delta, List<string> written, CancellationToken ct)
    {
        var previous = latest is null ? [] : (await manifests.ReadManifestListAsync(latest.BaseManifestList, ct).ConfigureAwait(false)).ToList();
        if (previous.Count + 1 < schema.CoreOptions.ManifestMergeMinCount)
            return [.. previous, delta];

        // Too many manifests make every scan slow: fold the live set into one manifest of ADD entries.
        var deleted = entries.Where(e => e.Kind == FileKind.Delete).Select(e => e.Identity).ToHashSet();
        var merged = live.Where(e => !deleted.Contains(e.Identity)).Concat(entries.Where(e => e.Kind == FileKind.Add)).ToList();
        var meta = await manifests.WriteManifestAsync(merged, schema.Id, ct).ConfigureAwait(false);
        written.Add(meta.FileName);
        return [meta];
    }

    private async Task TryDeleteAsync(string path, CancellationToken ct)
    {
        try { await store.DeleteAsync(path, ct).ConfigureAwait(false); }
        catch (IOException e) { _log.CommitOrphanDeleteFailed(e, path); }
    }
}
