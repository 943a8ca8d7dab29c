using TableStore.Core.Commit;
using TableStore.Core.Manifest;
using TableStore.Core.Schema;

namespace TableStore.Core.Serialization;

/// <summary>
/// Commit messages between the writers that produce them and the committer that commits them (Paimon's
/// CommitMessageSerializer): file metadata in the manifest encoding, typed again on the committer's side with the
/// schema each file was written with.
/// </summary>
public static class CommitMessageCodec
{
    public static byte[] Serialize(CommitMessage message) => Json.Serialize(new CommitMessageJson(
        ManifestCodec.EncodeValues(message.Partition), message.Bucket, message.TotalBuckets,
        message.NewFiles.Select(ManifestCodec.Encode).ToList(),
        message.CompactBefore.Select(ManifestCodec.Encode).ToList(),
        message.CompactAfter.Select(ManifestCodec.Encode).ToList())
    {
        Changelog = message.ChangelogFiles.Count == 0 ? null : message.ChangelogFiles.Select(ManifestCodec.Encode).ToList(),
    });

    /// <param name="current">The table's current schema (types the partition values).</param>
    /// <param name="schemas">The table's schemas by id (types each file's keys and statistics).</param>
    public static CommitMessage Deserialize(byte[] bytes, TableSchema current, SchemaManager schemas)
    {
        const string source = "commit message";
        var json = Json.Deserialize<CommitMessageJson>(bytes, source);
        var partTypes = current.PartitionIndices.Select(i => current.Fields[i].Type).ToList();
        List<DataFileMeta> Files(List<DataFileJson> files) => files.Select(f => ManifestCodec.Decode(f, schemas.GetCached, source)).ToList();
        return new CommitMessage(ManifestCodec.DecodeValues(json.Partition, partTypes, source), json.Bucket, json.TotalBuckets,
            Files(json.NewFiles), Files(json.CompactBefore), Files(json.CompactAfter))
        {
            ChangelogFiles = json.Changelog is null ? [] : Files(json.Changelog),
        };
    }
}

internal sealed record CommitMessageJson(
    List<string?> Partition, int Bucket, int TotalBuckets,
    List<DataFileJson> NewFiles, List<DataFileJson> CompactBefore, List<DataFileJson> CompactAfter)
{
    public List<DataFileJson>? Changelog { get; init; }
}
