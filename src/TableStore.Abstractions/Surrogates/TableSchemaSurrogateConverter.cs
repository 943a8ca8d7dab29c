using TableStore.Core.Schema;

namespace TableStore.Abstractions.Surrogates;

[RegisterConverter]
public sealed class TableSchemaSurrogateConverter : IConverter<TableSchema, TableSchemaSurrogate>
{
    public TableSchema ConvertFromSurrogate(in TableSchemaSurrogate s) => new(
        s.Id, s.Fields.Select(f => new DataField(f.Id, f.Name, DataType.Parse(f.Type))), s.PrimaryKeys, s.PartitionKeys,
        s.Buckets, s.Options, s.TimeMillis, s.HighestFieldId);

    public TableSchemaSurrogate ConvertToSurrogate(in TableSchema v) => new(
        v.Id, [.. v.Fields.Select(f => new DataFieldSurrogate(f.Id, f.Name, f.Type.ToString()))], [.. v.PrimaryKeys], [.. v.PartitionKeys],
        v.BucketCount, new Dictionary<string, string>(v.Options, StringComparer.Ordinal), v.TimeMillis, v.HighestFieldId);
}
