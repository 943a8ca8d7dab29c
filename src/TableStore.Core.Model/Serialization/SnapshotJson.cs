using TableStore.Core.Manifest;

namespace TableStore.Core.Serialization;

/// <summary>On-disk shape of <c>snapshot/snapshot-N</c> (format version 1).</summary>
internal sealed record SnapshotJson(
    int Version,
    long Id,
    long SchemaId,
    string BaseManifestList,
    string DeltaManifestList,
    string? ChangelogManifestList,
    string CommitUser,
    long CommitIdentifier,
    CommitKind CommitKind,
    long TimeMillis,
    long TotalRecordCount,
    long DeltaRecordCount,
    long ChangelogRecordCount,
    long? Watermark,
    Dictionary<string, string>? LogOffsets,
    Dictionary<string, string>? Properties = null)
{
    public static SnapshotJson From(Snapshot s) => new(Snapshot.FormatVersion, s.Id, s.SchemaId, s.BaseManifestList,
        s.DeltaManifestList, s.ChangelogManifestList, s.CommitUser, s.CommitIdentifier, s.CommitKind, s.TimeMillis,
        s.TotalRecordCount, s.DeltaRecordCount, s.ChangelogRecordCount, s.Watermark, new Dictionary<string, string>(s.LogOffsets),
        s.Properties is null ? null : new Dictionary<string, string>(s.Properties));

    public Snapshot ToSnapshot(string path)
    {
        if (Version != Snapshot.FormatVersion) throw new CorruptFileException($"Snapshot file '{path}' has unsupported version {Version}.");
        if (string.IsNullOrEmpty(BaseManifestList) || string.IsNullOrEmpty(DeltaManifestList) || CommitUser is null)
            throw new CorruptFileException($"Snapshot file '{path}' lacks required fields.");
        return new Snapshot(Id, SchemaId, BaseManifestList, DeltaManifestList, ChangelogManifestList, CommitUser, CommitIdentifier,
            CommitKind, TimeMillis, TotalRecordCount, DeltaRecordCount, ChangelogRecordCount, Watermark,
            LogOffsets ?? new Dictionary<string, string>(), Properties);
    }
}
