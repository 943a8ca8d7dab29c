using TableStore.Core.Manifest;
using TableStore.Core.Consumers;

namespace TableStore.Abstractions.Surrogates;

/// <summary>How a <see cref="Snapshot"/> (a Core.Model type) crosses the wire: every field, as in a snapshot file.</summary>
[GenerateSerializer, Immutable, Alias("TableStore.Snapshot")]
public readonly record struct SnapshotSurrogate(
    [property: Id(0)] long Id,
    [property: Id(1)] long SchemaId,
    [property: Id(2)] string BaseManifestList,
    [property: Id(3)] string DeltaManifestList,
    [property: Id(4)] string? ChangelogManifestList,
    [property: Id(5)] string CommitUser,
    [property: Id(6)] long CommitIdentifier,
    [property: Id(7)] CommitKind CommitKind,
    [property: Id(8)] long TimeMillis,
    [property: Id(9)] long TotalRecordCount,
    [property: Id(10)] long DeltaRecordCount,
    [property: Id(11)] long ChangelogRecordCount,
    [property: Id(12)] long? Watermark,
    [property: Id(13)] Dictionary<string, string> LogOffsets,
    [property: Id(14)] Dictionary<string, string>? Properties);

