namespace TableStore.Core.Manifest;

/// <summary>
/// A committed version of a table. Immutable; the file <c>snapshot-N</c> is the commit point.
/// <see cref="BaseManifestList"/> lists every live file after this commit; <see cref="DeltaManifestList"/>
/// only what this commit changed (the source of incremental reads). <see cref="Properties"/> carries what a
/// committer needs to find again after a crash (e.g. the service's ids of the writes in a group commit).
/// </summary>
public sealed record Snapshot(
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
    IReadOnlyDictionary<string, string> LogOffsets,
    IReadOnlyDictionary<string, string>? Properties = null)
{
    public const int FormatVersion = 1;

    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeMilliseconds(TimeMillis);
}
