using System.Collections.Concurrent;
using TableStore.Core.IO;
using TableStore.Core.Serialization;
using TableStore.Core.Table;

namespace TableStore.Core.Schema;

/// <summary>Reads and writes the immutable <c>schema/schema-N</c> files of one table.</summary>
public sealed class SchemaManager(IObjectStore store, TablePaths paths)
{
    private readonly ConcurrentDictionary<long, TableSchema> _cache = new();

    /// <summary>Writes schema <paramref name="schema"/>.Id with put-if-absent; false when that version exists.</summary>
    public async Task<bool> TryCommitAsync(TableSchema schema, CancellationToken ct = default)
    {
        var bytes = Json.Serialize(SchemaJson.From(schema), indented: true);
        if (!await store.PutIfAbsentAsync(paths.SchemaFile(schema.Id), bytes, ct).ConfigureAwait(false)) return false;
        _cache[schema.Id] = schema;
        return true;
    }

    public async Task<TableSchema> GetAsync(long id, CancellationToken ct = default)
    {
        if (_cache.TryGetValue(id, out var s)) return s;
        var path = paths.SchemaFile(id);
        byte[] bytes;
        try { bytes = await store.GetAsync(path, ct).ConfigureAwait(false); }
        catch (ObjectNotFoundException) { throw new CorruptFileException($"Schema file '{path}' is missing."); }
        s = Json.Deserialize<SchemaJson>(bytes, path).ToSchema(path);
        return _cache[id] = s;
    }

    /// <summary>Synchronous access for decoders, valid for ids loaded before (every id a snapshot names is).</summary>
    public TableSchema GetCached(long id) =>
        _cache.TryGetValue(id, out var s) ? s : GetAsync(id).GetAwaiter().GetResult();

    /// <summary>The newest schema, or null when the table does not exist.</summary>
    public async Task<TableSchema?> LatestAsync(CancellationToken ct = default)
    {
        long latest = -1;
        await foreach (var o in store.ListAsync(paths.SchemaDir, ct).ConfigureAwait(false))
        {
            if (TablePaths.TryParseNumbered(o.Path, TablePaths.SchemaPrefix, out var id)) latest = Math.Max(latest, id);
        }
        return latest < 0 ? null : await GetAsync(latest, ct).ConfigureAwait(false);
    }
}
