using TableStore.Core.Schema;

namespace TableStore.Core.Serialization;

/// <summary>On-disk shape of <c>schema/schema-N</c> (format version 1).</summary>
internal sealed record SchemaJson(
    int Version,
    long Id,
    List<FieldJson> Fields,
    int HighestFieldId,
    List<string> PartitionKeys,
    List<string> PrimaryKeys,
    int Buckets,
    SortedDictionary<string, string> Options,
    long TimeMillis)
{
    public static SchemaJson From(TableSchema s) => new(1, s.Id,
        s.Fields.Select(f => new FieldJson(f.Id, f.Name, f.Type.ToString())).ToList(),
        s.HighestFieldId, [.. s.PartitionKeys], [.. s.PrimaryKeys], s.BucketCount,
        new SortedDictionary<string, string>(s.Options, StringComparer.Ordinal), s.TimeMillis);

    public TableSchema ToSchema(string path)
    {
        if (Version != 1) throw new CorruptFileException($"Schema file '{path}' has unsupported version {Version}.");
        try
        {
            return new TableSchema(Id, Fields.Select(f => new DataField(f.Id, f.Name, DataType.Parse(f.Type))),
                PrimaryKeys, PartitionKeys, Buckets, Options, TimeMillis, HighestFieldId);
        }
        catch (InvalidInputException e)
        {
            throw new CorruptFileException($"Schema file '{path}' is invalid: {e.Message}", e);
        }
    }
}

internal sealed record FieldJson(int Id, string Name, string Type);
