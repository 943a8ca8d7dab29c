using TableStore.Core.Manifest;
using TableStore.Core.Tags;
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

/// <summary>A tag: its name and the snapshot it pins.</summary>
[GenerateSerializer, Immutable, Alias("TableStore.Tag")]
public readonly record struct TagSurrogate([property: Id(0)] string Name, [property: Id(1)] Snapshot Snapshot);

[RegisterConverter]
public sealed class TagSurrogateConverter : IConverter<Tag, TagSurrogate>
{
    public Tag ConvertFromSurrogate(in TagSurrogate s) => new(s.Name, s.Snapshot);
    public TagSurrogate ConvertToSurrogate(in Tag v) => new(v.Name, v.Snapshot);
}

/// <summary>A streaming consumer: its id and the next snapshot it will read.</summary>
[GenerateSerializer, Immutable, Alias("TableStore.Consumer")]
public readonly record struct ConsumerSurrogate([property: Id(0)] string Id, [property: Id(1)] long NextSnapshot);

[RegisterConverter]
public sealed class ConsumerSurrogateConverter : IConverter<Consumer, ConsumerSurrogate>
{
    public Consumer ConvertFromSurrogate(in ConsumerSurrogate s) => new(s.Id, s.NextSnapshot);
    public ConsumerSurrogate ConvertToSurrogate(in Consumer v) => new(v.Id, v.NextSnapshot);
}
