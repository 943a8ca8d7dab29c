using TableStore.Core.Manifest;
using TableStore.Core.Consumers;

namespace TableStore.Abstractions.Surrogates;

[RegisterConverter]
public sealed class SnapshotSurrogateConverter : IConverter<Snapshot, SnapshotSurrogate>
{
    public Snapshot ConvertFromSurrogate(in SnapshotSurrogate s) => new(
        s.Id, s.SchemaId, s.BaseManifestList, s.DeltaManifestList, s.ChangelogManifestList, s.CommitUser, s.CommitIdentifier,
        s.CommitKind, s.TimeMillis, s.TotalRecordCount, s.DeltaRecordCount, s.ChangelogRecordCount, s.Watermark, s.LogOffsets, s.Properties);

    public SnapshotSurrogate ConvertToSurrogate(in Snapshot v) => new(
        v.Id, v.SchemaId, v.BaseManifestList, v.DeltaManifestList, v.ChangelogManifestList, v.CommitUser, v.CommitIdentifier,
        v.CommitKind, v.TimeMillis, v.TotalRecordCount, v.DeltaRecordCount, v.ChangelogRecordCount, v.Watermark,
        new Dictionary<string, string>(v.LogOffsets, StringComparer.Ordinal),
        v.Properties is null ? null : new Dictionary<string, string>(v.Properties, StringComparer.Ordinal));
}
