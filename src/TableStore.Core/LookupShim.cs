// TEMPORARY shim until the real lookup engine lands; deleted then.
using TableStore.Core.Data;
using TableStore.Core.Manifest;
using TableStore.Core.Schema;
using TableStore.Core.Table;
using TableStore.Core.Utils;
using TableStore.Core.Scan;
namespace TableStore.Core.Lookup;
public sealed class LookupFileCache(long maxBytes) { public long MaxBytes => maxBytes; }
public sealed record LookupResult(Snapshot? Snapshot, object?[]? Row);
public sealed class BucketLookup(FileStoreTable table, object?[] partition, int bucket, LookupFileCache cache)
{
    public async Task<object?[]?> LookupAsync(Snapshot snapshot, object?[] key, CancellationToken ct)
    {
        _ = partition; _ = bucket; _ = cache;
        var cmp = new MergeTree.KeyComparer(table.Schema.KeyIndices, table.Schema);
        var r = await table.ScanAsync(new ScanOptions { SnapshotId = snapshot.Id }, ct);
        await foreach (var row in r.Rows) if (cmp.Compare(cmp.ExtractKey(row), key) == 0) return row;
        return null;
    }
}
public sealed class TableLookup(FileStoreTable table, LookupFileCache cache)
{
    public static object?[] TypeKey(TableSchema schema, IReadOnlyList<object?> values) =>
        values.Select((v, i) => v is null ? throw new InvalidInputException("null key") : Values.Coerce(v, schema.Fields[schema.KeyIndices[i]].Type)).ToArray();
    public static object?[] ParseKey(TableSchema schema, string text)
    {
        var parts = text.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        return schema.KeyIndices.Select(i => (object?)Values.Parse(parts[schema.Fields[i].Name], schema.Fields[i].Type)).ToArray();
    }
    public async Task<LookupResult> LookupAsync(object?[] key, long? snapshotId = null, CancellationToken ct = default)
    {
        var s = snapshotId is { } id ? await table.Snapshots.GetAsync(id, ct) : await table.Snapshots.LatestAsync(ct);
        if (s is null) return new LookupResult(null, null);
        var (p, b) = new KeyRouter(table.Schema).Locate(key);
        return new LookupResult(s, await new BucketLookup(table, p, b, cache).LookupAsync(s, key, ct));
    }
}
