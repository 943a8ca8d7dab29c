using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using TableStore.Core.Commit;
using TableStore.Core.Data;
using TableStore.Core.Manifest;
using TableStore.Core.Serialization;

namespace TableStore.Core.Table;

/// <summary>
/// Writes too large for one message, staged part by part on the table's store and committed once. Each part is
/// validated and routed as it arrives, and its rows are stored per bucket:
/// <code>
/// upload/&lt;write id&gt;/part-&lt;n&gt;                                  the part's receipt, written last: rows, bytes, schema id
/// upload/&lt;write id&gt;/rows/&lt;partition path&gt;bucket-&lt;b&gt;/part-&lt;n&gt;  the part's rows of that bucket (RowBatchCodec)
/// </code>
/// Staging a part twice (a retry after a lost reply) writes the same objects again, so it is idempotent. Nothing
/// staged is visible to readers: the commit hands each bucket's objects to its writer, which reads them when it
/// writes the commit's files (sequence numbers are assigned then, so the write orders with other writes by its
/// commit). After the commit, or once abandoned for longer than a timeout, the staged objects are deleted.
/// <para>
/// Two markers make a commit's retry exact however long after: <c>commit-started</c> (its time), written before any
/// attempt hands the rows over, and <c>committed</c> (the snapshot id), written after the commit and before the
/// parts are deleted; the marker stays until the upload is deleted as abandoned. A retry that finds the first but
/// not the second looks for the write among the snapshots committed since the attempt started.
/// </para>
/// </summary>
public sealed class StagedWrites(FileStoreTable table)
{
    private const string PartPrefix = "part-";
    private const string RowsDir = "rows/";
    private const string CommitStartedMarker = "commit-started";
    private const string CommittedMarker = "committed";

    /// <summary>
    /// Records that a commit of the write starts now, unless an earlier attempt did; returns the earliest time (Unix
    /// ms, with <see cref="CommittedWrites.ClockMargin"/>) a commit of it can have, when an earlier attempt did.
    /// </summary>
    public async Task<long?> StartCommitAsync(string writeId, CancellationToken ct = default)
    {
        var path = WriteDir(writeId) + CommitStartedMarker;
        var now = table.Time.GetUtcNow();
        if (await table.Store.PutIfAbsentAsync(path, Encoding.UTF8.GetBytes(now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)), ct).ConfigureAwait(false))
            return null;
        var started = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(Encoding.UTF8.GetString(await table.Store.GetAsync(path, ct).ConfigureAwait(false)), CultureInfo.InvariantCulture));
        return CommittedWrites.NotBefore(started);
    }

    /// <summary>Records the snapshot that committed the write, so a retry after its parts are deleted is answered.</summary>
    public Task MarkCommittedAsync(string writeId, long snapshotId, CancellationToken ct = default) =>
        table.Store.PutAsync(WriteDir(writeId) + CommittedMarker, Encoding.UTF8.GetBytes(snapshotId.ToString(CultureInfo.InvariantCulture)), ct);

    /// <summary>The snapshot that committed the write, when its commit was recorded (and not yet deleted as abandoned).</summary>
    public async Task<long?> FindCommittedAsync(string writeId, CancellationToken ct = default)
    {
        WriteIds.Validate(writeId);
        var path = WriteDir(writeId) + CommittedMarker;
        if (!await table.Store.ExistsAsync(path, ct).ConfigureAwait(false)) return null;
        return long.Parse(Encoding.UTF8.GetString(await table.Store.GetAsync(path, ct).ConfigureAwait(false)), CultureInfo.InvariantCulture);
    }

    /// <summary>Validates, routes and stores one part. Returns how many rows it held.</summary>
    public async Task<int> StageAsync(string writeId, int part, byte[] kinds, object?[][] rows, CancellationToken ct = default)
    {
        WriteIds.Validate(writeId);
        if (part < 0) throw new InvalidInputException($"Part {part} of write {writeId}: parts are numbered from 0.");
        var schema = table.Schema;
        var groups = BucketGroups.Split(schema, table.Identifier.FullName, kinds, rows);
        var columns = schema.Fields.Select(f => f.Name).ToList();
        long bytes = 0;
        foreach (var g in groups)
        {
            var data = RowBatchCodec.Encode(g.Kinds.ToArray(), g.Rows, columns);
            bytes += data.Length;
            await table.Store.PutAsync(RowsPath(writeId, g.Partition, g.Bucket, part), data, ct).ConfigureAwait(false);
        }
        var receipt = string.Create(CultureInfo.InvariantCulture, $"{rows.Length} {bytes} {schema.Id}");
        await table.Store.PutAsync(PartPath(writeId, part), Encoding.UTF8.GetBytes(receipt), ct).ConfigureAwait(false);
        return rows.Length;
    }

    /// <summary>
    /// The staged write, once every part 0..<paramref name="parts"/>-1 has its receipt; null when nothing of it is
    /// staged (never sent, committed and cleaned up, or abandoned and deleted).
    /// </summary>
    public async Task<StagedWrite?> FindAsync(string writeId, int parts, CancellationToken ct = default)
    {
        WriteIds.Validate(writeId);
        var dir = WriteDir(writeId);
        var receipts = new Dictionary<int, string>();
        var buckets = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        await foreach (var o in table.Store.ListAsync(dir, ct).ConfigureAwait(false))
        {
            var rest = o.Path[dir.Length..];
            if (rest.StartsWith(RowsDir, StringComparison.Ordinal))
            {
                var bucketDir = rest[RowsDir.Length..rest.LastIndexOf('/')];
                if (!buckets.TryGetValue(bucketDir, out var list)) buckets[bucketDir] = list = [];
                list.Add(o.Path);
            }
            else if (TablePaths.TryParseNumbered(rest, PartPrefix, out var n) && n < int.MaxValue)
                receipts[(int)n] = Encoding.UTF8.GetString(await table.Store.GetAsync(o.Path, ct).ConfigureAwait(false));
        }
        if (receipts.Count == 0 && buckets.Count == 0) return null;
        var missing = Enumerable.Range(0, parts).Where(p => !receipts.ContainsKey(p)).ToList();
        if (missing.Count > 0)
            throw new WriteNotCommittedException(string.Create(CultureInfo.InvariantCulture,
                $"Write {writeId} to {table.Identifier.FullName} was not committed: {missing.Count} of its {parts} parts are not staged (first: part {missing[0]}); the upload was interrupted or expired. Nothing of it is visible; write it again."));
        long rows = 0, bytes = 0;
        var schemas = new HashSet<long>();
        foreach (var (_, receipt) in receipts.Where(r => r.Key < parts))
        {
            var fields = receipt.Split(' ');
            rows += long.Parse(fields[0], CultureInfo.InvariantCulture);
            bytes += long.Parse(fields[1], CultureInfo.InvariantCulture);
            schemas.Add(long.Parse(fields[2], CultureInfo.InvariantCulture));
        }
        if (schemas.Count > 1)
            throw new WriteNotCommittedException(
                $"Write {writeId} to {table.Identifier.FullName} was not committed: the table was altered or rescaled while it was uploaded, so its parts were routed with different schemas. Nothing of it is visible; write it again.");
        // Only the receipted parts count: a part staged beyond the count (a client that changed its mind) is ignored.
        var staged = new List<StagedBucket>();
        foreach (var (_, paths) in buckets)
        {
            var counted = paths.Where(p => PartOf(p) < parts).Order(StringComparer.Ordinal).ToList();
            if (counted.Count > 0) staged.Add(new StagedBucket(await PartitionOfAsync(counted[0], ct).ConfigureAwait(false), BucketOf(counted[0]), counted));
        }
        return new StagedWrite(writeId, schemas.Single(), rows, bytes, staged);
    }

    /// <summary>The rows of one bucket's staged objects, in part order.</summary>
    public async IAsyncEnumerable<(RowKind Kind, object?[] Values)> ReadAsync(IReadOnlyList<string> paths, [EnumeratorCancellation] CancellationToken ct = default)
    {
        foreach (var path in paths)
        {
            var (kinds, rows) = RowBatchCodec.Decode(await table.Store.GetAsync(path, ct).ConfigureAwait(false));
            for (int i = 0; i < rows.Length; i++) yield return (RowKindExtensions.FromByte(kinds[i]), rows[i]);
        }
    }

    /// <summary>
    /// Deletes everything staged for the write (after its commit, or when it is given up); after a commit
    /// (<paramref name="keepCommitted"/>) the <c>committed</c> marker stays, to answer retries.
    /// </summary>
    public async Task DeleteAsync(string writeId, bool keepCommitted = false, CancellationToken ct = default)
    {
        WriteIds.Validate(writeId);
        var paths = new List<string>();
        var committed = WriteDir(writeId) + CommittedMarker;
        await foreach (var o in table.Store.ListAsync(WriteDir(writeId), ct).ConfigureAwait(false))
            if (!keepCommitted || o.Path != committed) paths.Add(o.Path);
        foreach (var p in paths) await table.Store.DeleteAsync(p, ct).ConfigureAwait(false);
    }

    /// <summary>Deletes staged writes nothing was added to for longer than <paramref name="idle"/>; returns how many.</summary>
    public async Task<int> DeleteAbandonedAsync(TimeSpan idle, CancellationToken ct = default)
    {
        var newest = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var root = table.Paths.UploadDir;
        await foreach (var o in table.Store.ListAsync(root, ct).ConfigureAwait(false))
        {
            var id = o.Path[root.Length..o.Path.IndexOf('/', root.Length)];
            newest[id] = newest.TryGetValue(id, out var t) && t > o.LastModified ? t : o.LastModified;
        }
        var cutoff = table.Time.GetUtcNow() - idle;
        var abandoned = newest.Where(kv => kv.Value < cutoff).Select(kv => kv.Key).ToList();
        foreach (var id in abandoned) await DeleteAsync(id, ct: ct).ConfigureAwait(false);
        return abandoned.Count;
    }

    private string WriteDir(string writeId) => table.Paths.UploadDir + writeId + "/";

    private string PartPath(string writeId, int part) => WriteDir(writeId) + PartName(part);

    private string RowsPath(string writeId, object?[] partition, int bucket, int part) =>
        WriteDir(writeId) + RowsDir + TablePaths.PartitionPath(table.Schema.PartitionKeys, partition) + "bucket-" + bucket.ToString(CultureInfo.InvariantCulture) + "/" + PartName(part);

    private static string PartName(int part) => PartPrefix + part.ToString("D8", CultureInfo.InvariantCulture);

    private static int PartOf(string path) => int.Parse(path.AsSpan(path.LastIndexOf(PartPrefix, StringComparison.Ordinal) + PartPrefix.Length), CultureInfo.InvariantCulture);

    private static int BucketOf(string path)
    {
        var dir = path[..path.LastIndexOf('/')];
        return int.Parse(dir.AsSpan(dir.LastIndexOf("bucket-", StringComparison.Ordinal) + "bucket-".Length), CultureInfo.InvariantCulture);
    }

    /// <summary>The partition values, typed, from the first staged row (every row of the bucket has the same).</summary>
    private async Task<object?[]> PartitionOfAsync(string path, CancellationToken ct)
    {
        var (_, rows) = RowBatchCodec.Decode(await table.Store.GetAsync(path, ct).ConfigureAwait(false));
        return rows.Length == 0 ? [] : table.Schema.PartitionIndices.Select(i => rows[0][i]).ToArray();
    }
}
