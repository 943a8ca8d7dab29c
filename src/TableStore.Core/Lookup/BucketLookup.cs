using TableStore.Core.Data;
using TableStore.Core.Format;
using TableStore.Core.Manifest;
using TableStore.Core.MergeTree;
using TableStore.Core.Schema;
using TableStore.Core.Table;

namespace TableStore.Core.Lookup;

/// <summary>
/// Point lookups in one bucket of one partition. The bucket's files are listed once per snapshot (from cached
/// manifests) and ordered newest first; a lookup visits only files whose key range holds the key and whose bloom
/// filter does not exclude it, and for the deduplicate engine stops at the first file that cannot hold a newer
/// version than the one found. Safe for concurrent use. A partition whose files were written for another bucket
/// count (a partial rescale) is searched in the bucket that count routes the key to.
/// </summary>
public sealed class BucketLookup
{
    private sealed record FileList(long SnapshotId, int Bucket, DataFileMeta[] Files, string[] Paths, int TotalBuckets, Dictionary<int, FileList>? Others = null);

    private readonly FileStoreTable _table;
    private readonly object?[] _partition;
    private readonly int _bucket;
    private readonly LookupFileCache _cache;
    private readonly DataFileReader _reader;
    private readonly bool _deduplicate;
    private FileList? _files;

    public BucketLookup(FileStoreTable table, object?[] partition, int bucket, LookupFileCache cache)
    {
        if (table.Schema.Kind != TableKind.PrimaryKey)
            throw new InvalidInputException($"Table {table.Identifier} has no primary key; point lookups need one.");
        _table = table;
        _partition = partition;
        _bucket = bucket;
        _cache = cache;
        _reader = table.NewDataFileReader();
        _deduplicate = table.Schema.MergeSpec.NewestWins;
    }

    /// <param name="key">Typed primary-key values in primary-key order (see <see cref="LookupKeys.TypeKey"/>).</param>
    /// <returns>The row (a copy, values in schema order), or null when the key is absent or deleted.</returns>
    public async Task<object?[]?> LookupAsync(Snapshot snapshot, object?[] key, CancellationToken ct = default)
    {
        var files = _files is { } f && f.SnapshotId == snapshot.Id ? f : _files = await ListFilesAsync(snapshot, ct).ConfigureAwait(false);
        var schema = _table.Schema;
        var probe = new object?[schema.Fields.Length];
        for (int k = 0; k < key.Length; k++) probe[schema.KeyIndices[k]] = key[k];
        if (files.Others is { } others)
            files = others.GetValueOrDefault(new Table.BucketHasher(schema, files.TotalBuckets).Bucket(probe)) ?? files with { Files = [], Paths = [] };
        ulong? hash = null;
        KeyValue? newest = null;
        List<KeyValue>? versions = null;
        for (int i = 0; i < files.Files.Length; i++)
        {
            var file = files.Files[i];
            if (_deduplicate && newest is { } n && file.MaxSequence < n.Sequence) break;
            if (CompareKeys(key, file.MinKey) < 0 || CompareKeys(key, file.MaxKey) > 0) continue;
            if (_cache.TryGetBloom(files.Paths[i]) is { } bloom && !bloom.MayContain(hash ??= KeyBloomFilter.Hash(key)))
            {
                _cache.CountBloomSkip();
                continue;
            }
            var decoded = await _cache.GetAsync(files.Paths[i], () => LoadAsync(file, files.Bucket, ct)).ConfigureAwait(false);
            if (decoded.Find(probe) is not { } found) continue;
            if (_deduplicate)
            {
                if (newest is null || found.Sequence > newest.Value.Sequence) newest = found;
            }
            else (versions ??= []).Add(found);
        }
        var result = _deduplicate ? newest : Merge(versions);
        return result is { } r && !r.Kind.IsRetract() ? (object?[])r.Row.Clone() : null;
    }

    private KeyValue? Merge(List<KeyValue>? versions)
    {
        if (versions is null) return null;
        versions.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        var merge = MergeFunctions.Create(_table.Schema);
        merge.Reset();
        foreach (var v in versions) merge.Add(v);
        return merge.GetResult();
    }

    private static int CompareKeys(object?[] a, object?[] b)
    {
        for (int i = 0; i < a.Length; i++)
        {
            int c = Values.CompareNullable(a[i], b[i]);
            if (c != 0) return c;
        }
        return 0;
    }

    private async Task<FileList> ListFilesAsync(Snapshot snapshot, CancellationToken ct)
    {
        var partition = PartitionKey.Of(_partition);
        var entries = (await _table.Manifests.ReadLiveFilesAsync(snapshot.BaseManifestList, null, ct).ConfigureAwait(false))
            .Where(e => PartitionKey.Of(e.Partition).Equals(partition)).ToList();
        FileList Of(int bucket, IEnumerable<ManifestEntry> entries, int total)
        {
            var files = entries.Select(e => e.File).OrderByDescending(f => f.MaxSequence).ToArray();
            var paths = files.Select(f => _table.Paths.DataFile(_table.Schema.PartitionKeys, _partition, bucket, f.FileName)).ToArray();
            return new FileList(snapshot.Id, bucket, files, paths, total);
        }
        int totalBuckets = entries.Count == 0 ? _table.Schema.BucketCount : entries[0].TotalBuckets;
        if (totalBuckets == _table.Schema.BucketCount) return Of(_bucket, entries.Where(e => e.Bucket == _bucket), totalBuckets);
        // Not rescaled yet: keys are where the partition's own bucket count put them.
        var others = entries.GroupBy(e => e.Bucket).ToDictionary(g => g.Key, g => Of(g.Key, g, totalBuckets));
        return new FileList(snapshot.Id, _bucket, [], [], totalBuckets, others);
    }

    private async Task<(LookupFile, KeyBloomFilter)> LoadAsync(DataFileMeta file, int bucket, CancellationToken ct)
    {
        using var batch = await _reader.ReadBatchAsync(_partition, bucket, file, null, ct).ConfigureAwait(false);
        var decoded = LookupFile.From(batch, _table.Schema, out var bloom);
        return (decoded, bloom);
    }
}
