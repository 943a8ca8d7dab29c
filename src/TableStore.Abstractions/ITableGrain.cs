using TableStore.Core.Maintenance;
using TableStore.Core.Manifest;
using TableStore.Core.Table;
using TableStore.Core.Tags;
using TableStore.Core.Consumers;

namespace TableStore.Abstractions;

/// <summary>
/// One table (key: <c>db.table</c>): validates rows, routes them to bucket writers by a stable hash of the bucket
/// key, and waits for the group commit that makes them durable. Also the entry point for snapshots, tags and
/// maintenance (scans have a grain each: <see cref="IScanGrain"/>).
/// </summary>
[Alias("TableStore.ITableGrain")]
public interface ITableGrain : IGrainWithStringKey
{
    [Alias("GetInfo")] Task<TableInfo> GetInfoAsync();

    /// <summary>Completes only when every row is in a committed snapshot; fails, leaving nothing visible, otherwise.</summary>
    [Alias("Write")] Task<Core.Api.WriteOutcome?> WriteAsync(WriteRequest request);

    /// <summary>The retained snapshots, oldest first.</summary>
    [Alias("Snapshots")] Task<IReadOnlyList<Snapshot>> ListSnapshotsAsync();

    /// <summary>Tags a snapshot (default: the latest).</summary>
    [Alias("CreateTag")] Task<Tag> CreateTagAsync(string name, long? snapshotId);

    [Alias("DeleteTag")] Task DeleteTagAsync(string name);

    /// <summary>Every tag, by snapshot id.</summary>
    [Alias("Tags")] Task<IReadOnlyList<Tag>> ListTagsAsync();

    // Maintenance jobs take as long as the table is large: far beyond the default response timeout.
    /// <summary>Runs a compaction job on this silo and commits it as one COMPACT snapshot.</summary>
    [Alias("Compact"), ResponseTimeout("01:00:00")] Task<CompactOutcome> CompactAsync(CompactRequest request);

    /// <summary>Changes the bucket count and rewrites the data (or one partition's) for it.</summary>
    [Alias("Rescale"), ResponseTimeout("01:00:00")] Task<RescaleOutcome> RescaleAsync(int buckets, IReadOnlyDictionary<string, string>? partition);

    /// <summary>Expires snapshots and the files only they referenced (tags and consumers are respected).</summary>
    [Alias("Expire"), ResponseTimeout("01:00:00")] Task<ExpireOutcome> ExpireAsync(ExpireRequest request);

    /// <summary>Lists (dry run) or removes files no snapshot or tag references, older than the threshold.</summary>
    [Alias("CleanOrphans"), ResponseTimeout("01:00:00")] Task<OrphanCleanOutcome> CleanOrphansAsync(OrphansRequest request);

    /// <summary>
    /// Resolves where a subscription starts (<c>latest</c>, <c>latest-full</c>, <c>earliest</c>, <c>snapshot:N</c>,
    /// <c>timestamp:T</c>); with a consumer id that has progress, it resumes there.
    /// </summary>
    [Alias("StreamStart")] Task<StreamPosition> ResolveStreamStartAsync(string start, string? consumerId);

    /// <summary>
    /// The changes of snapshots <paramref name="from"/> …, read from the lake: a subscriber's catch-up. At most
    /// <paramref name="max"/> snapshots, and fewer once the reply holds 16 MiB of rows (always at least one); empty
    /// when <paramref name="from"/> is not committed yet.
    /// </summary>
    [Alias("ReadChanges")] Task<ChangeEvent[]> ReadChangesAsync(long from, int max);

    [Alias("Consumers")] Task<IReadOnlyList<Consumer>> ListConsumersAsync();
    [Alias("SetConsumer")] Task SetConsumerAsync(string consumerId, long nextSnapshot);
    [Alias("DropConsumer")] Task DropConsumerAsync(string consumerId);

    /// <summary>A lookup routed for the caller (clients that know the schema call the bucket's lookup grain directly).</summary>
    [Alias("Lookup")] Task<Core.Api.LookupOutcome> LookupAsync(LookupRequest request);
}
