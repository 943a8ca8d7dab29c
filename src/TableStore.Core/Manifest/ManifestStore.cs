using System.Collections.Concurrent;
using TableStore.Core.Data;
using TableStore.Core.IO;
using TableStore.Core.Schema;
using TableStore.Core.Serialization;
using TableStore.Core.Table;

namespace TableStore.Core.Manifest;

/// <summary>
/// Reads and writes manifests and manifest lists. Both are immutable, written under fresh names, so decoded
/// manifests are cached by name.
/// </summary>
/// <remarks><paramref name="schema"/> types the partition values; partition columns never change type.</remarks>
public sealed class ManifestStore(IObjectStore store, TablePaths paths, SchemaManager schemas, TableSchema schema)
{
    private const int CacheLimit = 4096;
    private readonly ConcurrentDictionary<string, IReadOnlyList<ManifestEntry>> _manifestCache = new();

    public async Task<ManifestFileMeta> WriteManifestAsync(IReadOnlyList<ManifestEntry> entries, long schemaId, CancellationToken ct = default)
    {
        var name = TablePaths.NewManifestName();
        var bytes = Json.Serialize(new ManifestJson(1, entries.Select(ManifestCodec.Encode).ToList()));
        await store.PutAsync(paths.ManifestFile(name), bytes, ct).ConfigureAwait(false);
        Remember(name, entries);
        object?[]? min = null, max = null;
        foreach (var e in entries)
        {
            if (min is null || ComparePartitions(e.Partition, min) < 0) min = e.Partition;
            if (max is null || ComparePartitions(e.Partition, max) > 0) max = e.Partition;
        }
        return new ManifestFileMeta(name, bytes.Length, entries.Count(e => e.Kind == FileKind.Add),
            entries.Count(e => e.Kind == FileKind.Delete), schemaId, min, max);
    }

    public async Task<IReadOnlyList<ManifestEntry>> ReadManifestAsync(string name, CancellationToken ct = default)
    {
        if (_manifestCache.TryGetValue(name, out var cached)) return cached;
        var path = paths.ManifestFile(name);
        var bytes = await ReadRequiredAsync(path, ct).ConfigureAwait(false);
        var json = Json.Deserialize<ManifestJson>(bytes, path);
        if (json.Version != 1) throw new CorruptFileException($"Manifest '{path}' has unsupported format version {json.Version}.");
        foreach (var id in json.Entries.Select(e => e.File.SchemaId).Distinct())
            await schemas.GetAsync(id, ct).ConfigureAwait(false);
        var entries = json.Entries.Select(e => ManifestCodec.Decode(e, schema, schemas.GetCached, path)).ToList();
        Remember(name, entries);
        return entries;
    }

    public async Task<string> WriteManifestListAsync(IReadOnlyList<ManifestFileMeta> manifests, CancellationToken ct = default)
    {
        var name = TablePaths.NewManifestListName();
        var bytes = Json.Serialize(new ManifestListJson(1, manifests.Select(ManifestCodec.Encode).ToList()));
        await store.PutAsync(paths.ManifestFile(name), bytes, ct).ConfigureAwait(false);
        return name;
    }

    public async Task<IReadOnlyList<ManifestFileMeta>> ReadManifestListAsync(string name, CancellationToken ct = default)
    {
        var path = paths.ManifestFile(name);
        var bytes = await ReadRequiredAsync(path, ct).ConfigureAwait(false);
        var json = Json.Deserialize<ManifestListJson>(bytes, path);
        if (json.Version != 1) throw new CorruptFileException($"Manifest list '{path}' has unsupported format version {json.Version}.");
        return json.Manifests.Select(m => ManifestCodec.Decode(m, schema, path)).ToList();
    }

    /// <summary>
    /// The live files of a manifest list: ADD entries not cancelled by a later DELETE, in manifest order.
    /// <paramref name="manifestFilter"/> may skip whole manifests (partition pruning).
    /// </summary>
    public async Task<List<ManifestEntry>> ReadLiveFilesAsync(string manifestList, Func<ManifestFileMeta, bool>? manifestFilter = null, CancellationToken ct = default)
    {
        var manifests = await ReadManifestListAsync(manifestList, ct).ConfigureAwait(false);
        var live = new Dictionary<FileIdentity, ManifestEntry>();
        var order = new List<FileIdentity>();
        foreach (var m in manifests)
        {
            if (manifestFilter is not null && !manifestFilter(m)) continue;
            foreach (var e in await ReadManifestAsync(m.FileName, ct).ConfigureAwait(false))
            {
                var id = e.Identity;
                if (e.Kind == FileKind.Add)
                {
                    if (live.TryAdd(id, e)) order.Add(id);
                }
                else if (!live.Remove(id) && manifestFilter is null)
                {
                    // With a filter, the ADD may sit in a pruned manifest: such files are outside the filter anyway.
                    throw new CorruptFileException($"Manifest '{m.FileName}' deletes file '{e.File.FileName}' of bucket {e.Bucket}, which is not live.");
                }
            }
        }
        var result = new List<ManifestEntry>(live.Count);
        foreach (var id in order)
            if (live.TryGetValue(id, out var e)) result.Add(e);
        return result;
    }

    private async Task<byte[]> ReadRequiredAsync(string path, CancellationToken ct)
    {
        try { return await store.GetAsync(path, ct).ConfigureAwait(false); }
        catch (ObjectNotFoundException)
        {
            throw new CorruptFileException($"Manifest file '{path}' is missing: the snapshot that names it may have expired, or the table is damaged.");
        }
    }

    private void Remember(string name, IReadOnlyList<ManifestEntry> entries)
    {
        if (_manifestCache.Count >= CacheLimit) _manifestCache.Clear();
        _manifestCache[name] = entries;
    }

    internal static int ComparePartitions(object?[] a, object?[] b)
    {
        for (int i = 0; i < a.Length && i < b.Length; i++)
        {
            int c = Values.CompareNullable(a[i], b[i]);
            if (c != 0) return c;
        }
        return a.Length.CompareTo(b.Length);
    }
}
