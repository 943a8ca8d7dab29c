using TableStore.Core.Manifest;
using TableStore.Core.MergeTree;
using TableStore.Core.Schema;
using TableStore.Core.Table;

namespace TableStore.Core.Lookup;

/// <summary>
/// For the <c>lookup</c> changelog producer: a key's value at the snapshot a write is based on, so the write can
/// emit -U/+U pairs. Used by the embedded writer and by the service's bucket writers alike.
/// </summary>
public static class PreviousValues
{
    /// <summary>Whether writes to this table look up previous values at all.</summary>
    public static bool AreNeeded(TableSchema schema) =>
        schema.CoreOptions.ChangelogProducer == ChangelogProducer.Lookup && schema.Kind == TableKind.PrimaryKey;

    /// <summary>The lookup for one bucket at <paramref name="basis"/> (null: an empty table), or null when not needed.</summary>
    public static PreviousValueLookup? For(FileStoreTable table, object?[] partition, int bucket, Snapshot? basis, LookupFileCache cache)
    {
        if (!AreNeeded(table.Schema)) return null;
        if (basis is not { } snapshot) return (_, _) => Task.FromResult<object?[]?>(null);
        var lookup = new BucketLookup(table, partition, bucket, cache);
        return (key, ct) => lookup.LookupAsync(snapshot, key, ct);
    }
}
