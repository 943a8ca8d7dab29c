using TableStore.Core.Maintenance;
using TableStore.Core.Table;

namespace TableStore.Abstractions.Surrogates;

// The outcomes of maintenance jobs run on a silo, sent back as the Core.Model records themselves.

[GenerateSerializer, Immutable, Alias("TableStore.CompactOutcome")]
public readonly record struct CompactOutcomeSurrogate(
    [property: Id(0)] long? SnapshotId, [property: Id(1)] int Buckets, [property: Id(2)] int FilesBefore, [property: Id(3)] int FilesAfter,
    [property: Id(4)] long BytesRead, [property: Id(5)] long BytesWritten, [property: Id(6)] long RowsRead, [property: Id(7)] long RowsWritten);

[RegisterConverter]
public sealed class CompactOutcomeSurrogateConverter : IConverter<CompactOutcome, CompactOutcomeSurrogate>
{
    public CompactOutcome ConvertFromSurrogate(in CompactOutcomeSurrogate s) =>
        new(s.SnapshotId, s.Buckets, s.FilesBefore, s.FilesAfter, s.BytesRead, s.BytesWritten, s.RowsRead, s.RowsWritten);

    public CompactOutcomeSurrogate ConvertToSurrogate(in CompactOutcome v) =>
        new(v.SnapshotId, v.Buckets, v.FilesBefore, v.FilesAfter, v.BytesRead, v.BytesWritten, v.RowsRead, v.RowsWritten);
}

[GenerateSerializer, Immutable, Alias("TableStore.ExpireOutcome")]
public readonly record struct ExpireOutcomeSurrogate(
    [property: Id(0)] int SnapshotsExpired, [property: Id(1)] long? EarliestRetained, [property: Id(2)] int DataFilesDeleted,
    [property: Id(3)] int ManifestFilesDeleted, [property: Id(4)] int ProtectedByConsumers);

[RegisterConverter]
public sealed class ExpireOutcomeSurrogateConverter : IConverter<ExpireOutcome, ExpireOutcomeSurrogate>
{
    public ExpireOutcome ConvertFromSurrogate(in ExpireOutcomeSurrogate s) =>
        new(s.SnapshotsExpired, s.EarliestRetained, s.DataFilesDeleted, s.ManifestFilesDeleted, s.ProtectedByConsumers);

    public ExpireOutcomeSurrogate ConvertToSurrogate(in ExpireOutcome v) =>
        new(v.SnapshotsExpired, v.EarliestRetained, v.DataFilesDeleted, v.ManifestFilesDeleted, v.ProtectedByConsumers);
}

[GenerateSerializer, Immutable, Alias("TableStore.OrphanFile")]
public readonly record struct OrphanFileSurrogate([property: Id(0)] string Path, [property: Id(1)] long Size, [property: Id(2)] DateTimeOffset LastModified);

[RegisterConverter]
public sealed class OrphanFileSurrogateConverter : IConverter<OrphanFile, OrphanFileSurrogate>
{
    public OrphanFile ConvertFromSurrogate(in OrphanFileSurrogate s) => new(s.Path, s.Size, s.LastModified);
    public OrphanFileSurrogate ConvertToSurrogate(in OrphanFile v) => new(v.Path, v.Size, v.LastModified);
}

[GenerateSerializer, Immutable, Alias("TableStore.OrphanCleanOutcome")]
public readonly record struct OrphanCleanOutcomeSurrogate([property: Id(0)] OrphanFile[] Orphans, [property: Id(1)] bool Deleted, [property: Id(2)] int YoungerSkipped);

[RegisterConverter]
public sealed class OrphanCleanOutcomeSurrogateConverter : IConverter<OrphanCleanOutcome, OrphanCleanOutcomeSurrogate>
{
    public OrphanCleanOutcome ConvertFromSurrogate(in OrphanCleanOutcomeSurrogate s) => new(s.Orphans, s.Deleted, s.YoungerSkipped);
    public OrphanCleanOutcomeSurrogate ConvertToSurrogate(in OrphanCleanOutcome v) => new([.. v.Orphans], v.Deleted, v.YoungerSkipped);
}

[GenerateSerializer, Immutable, Alias("TableStore.RescaleOutcome")]
public readonly record struct RescaleOutcomeSurrogate(
    [property: Id(0)] long? SnapshotId, [property: Id(1)] int OldBuckets, [property: Id(2)] int NewBuckets, [property: Id(3)] int Partitions, [property: Id(4)] long Rows);

[RegisterConverter]
public sealed class RescaleOutcomeSurrogateConverter : IConverter<RescaleOutcome, RescaleOutcomeSurrogate>
{
    public RescaleOutcome ConvertFromSurrogate(in RescaleOutcomeSurrogate s) => new(s.SnapshotId, s.OldBuckets, s.NewBuckets, s.Partitions, s.Rows);
    public RescaleOutcomeSurrogate ConvertToSurrogate(in RescaleOutcome v) => new(v.SnapshotId, v.OldBuckets, v.NewBuckets, v.Partitions, v.Rows);
}
