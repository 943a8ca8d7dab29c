using System.Text;
using TableStore.Core.Manifest;
using TableStore.Core.Schema;

namespace TableStore.Core.Serialization;

/// <summary>
/// The on-disk JSON forms of schemas and snapshots, for processes that hand them to each other (a service and its
/// clients): one encoding, so a schema or snapshot never means something else on the other side.
/// </summary>
public static class MetadataCodec
{
    public static string SchemaToJson(TableSchema schema) => Encoding.UTF8.GetString(Json.Serialize(SchemaJson.From(schema)));

    public static TableSchema SchemaFromJson(string json, string source) =>
        Json.Deserialize<SchemaJson>(Encoding.UTF8.GetBytes(json), source).ToSchema(source);

    public static string SnapshotToJson(Snapshot snapshot) => Encoding.UTF8.GetString(Json.Serialize(SnapshotJson.From(snapshot)));

    public static Snapshot SnapshotFromJson(string json, string source) =>
        Json.Deserialize<SnapshotJson>(Encoding.UTF8.GetBytes(json), source).ToSnapshot(source);
}
