using System.Collections.Concurrent;
using TableStore.Core.Data;
using TableStore.Core.Manifest;
using TableStore.Core.Table;

namespace TableStore.Core.Lookup;

/// <summary>
/// Point lookups in a whole table: routes the key to its partition and bucket (as writes do) and asks that
/// bucket's <see cref="BucketLookup"/>. Also parses and types keys given as text or values.
/// </summary>
public sealed class TableLookup(FileStoreTable table, LookupFileCache cache)
{
    private readonly ConcurrentDictionary<(PartitionKey, int), BucketLookup> _buckets = new();
    private readonly KeyRouter _router = new(table.Schema);

    public async Task<LookupResult> LookupAsync(object?[] key, long? snapshotId = null, CancellationToken ct = default)
    {
        var typed = LookupKeys.TypeKey(table.Schema, key);
        var snapshot = snapshotId is { } id
            ? await table.NewScan().ResolveSnapshotAsync(new Scan.ScanOptions { SnapshotId = id }, ct).ConfigureAwait(false)
            : await table.Snapshots.LatestAsync(ct).ConfigureAwait(false);
        if (snapshot is null) return new LookupResult(null, null);
        var (partition, bucket) = _router.Locate(typed);
        var lookup = _buckets.GetOrAdd((PartitionKey.Of(partition), bucket), _ => new BucketLookup(table, partition, bucket, cache));
        return new LookupResult(snapshot, await lookup.LookupAsync(snapshot, typed, ct).ConfigureAwait(false));
    }
}
