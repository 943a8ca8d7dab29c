using TableStore.Core.Maintenance;
using TableStore.Core.Table;

namespace TableStore.Abstractions;

/// <summary>A compaction job run by the table grain: full or by the triggers, optionally one partition (<c>k=v[,k=v]</c>).</summary>
[GenerateSerializer, Immutable, Alias("TableStore.CompactRequest")]
public sealed record CompactRequest([property: Id(0)] bool Full, [property: Id(1)] string? Partition);

[GenerateSerializer, Immutable, Alias("TableStore.CompactReply")]
public sealed record CompactReply(
    [property: Id(0)] long? SnapshotId, [property: Id(1)] int Buckets, [property: Id(2)] int FilesBefore, [property: Id(3)] int FilesAfter,
    [property: Id(4)] long BytesRead, [property: Id(5)] long BytesWritten, [property: Id(6)] long RowsRead, [property: Id(7)] long RowsWritten)
{
    public static CompactReply From(CompactOutcome o) => new(o.SnapshotId, o.Buckets, o.FilesBefore, o.FilesAfter, o.BytesRead, o.BytesWritten, o.RowsRead, o.RowsWritten);
    public CompactOutcome ToOutcome() => new(SnapshotId, Buckets, FilesBefore, FilesAfter, BytesRead, BytesWritten, RowsRead, RowsWritten);
}

[GenerateSerializer, Immutable, Alias("TableStore.ExpireRequest")]
public sealed record ExpireRequest([property: Id(0)] int RetainLast, [property: Id(1)] TimeSpan? OlderThan);

[GenerateSerializer, Immutable, Alias("TableStore.ExpireReply")]
public sealed record ExpireReply(
    [property: Id(0)] int SnapshotsExpired, [property: Id(1)] long? EarliestRetained, [property: Id(2)] int DataFilesDeleted,
    [property: Id(3)] int ManifestFilesDeleted, [property: Id(4)] int ProtectedByConsumers)
{
    public static ExpireReply From(ExpireOutcome o) => new(o.SnapshotsExpired, o.EarliestRetained, o.DataFilesDeleted, o.ManifestFilesDeleted, o.ProtectedByConsumers);
    public ExpireOutcome ToOutcome() => new(SnapshotsExpired, EarliestRetained, DataFilesDeleted, ManifestFilesDeleted, ProtectedByConsumers);
}

[GenerateSerializer, Immutable, Alias("TableStore.OrphansRequest")]
public sealed record OrphansRequest([property: Id(0)] TimeSpan OlderThan, [property: Id(1)] bool DryRun);

[GenerateSerializer, Immutable, Alias("TableStore.OrphansReply")]
public sealed record OrphansReply(
    [property: Id(0)] string[] Paths, [property: Id(1)] long[] Sizes, [property: Id(2)] long[] LastModifiedMillis,
    [property: Id(3)] bool Deleted, [property: Id(4)] int YoungerSkipped)
{
    public static OrphansReply From(OrphanCleanOutcome o) => new(
        o.Orphans.Select(f => f.Path).ToArray(), o.Orphans.Select(f => f.Size).ToArray(),
        o.Orphans.Select(f => f.LastModified.ToUnixTimeMilliseconds()).ToArray(), o.Deleted, o.YoungerSkipped);

    public OrphanCleanOutcome ToOutcome() => new(
        Paths.Select((p, i) => new OrphanFile(p, Sizes[i], DateTimeOffset.FromUnixTimeMilliseconds(LastModifiedMillis[i]))).ToList(), Deleted, YoungerSkipped);
}
