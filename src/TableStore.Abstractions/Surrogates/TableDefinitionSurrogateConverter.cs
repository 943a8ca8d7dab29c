using TableStore.Core.Table;

namespace TableStore.Abstractions.Surrogates;

[RegisterConverter]
public sealed class TableDefinitionSurrogateConverter : IConverter<TableDefinition, TableDefinitionSurrogate>
{
    public TableDefinition ConvertFromSurrogate(in TableDefinitionSurrogate s) => new(s.Columns, s.PrimaryKeys, s.PartitionKeys, s.Buckets, s.Options);
    public TableDefinitionSurrogate ConvertToSurrogate(in TableDefinition v) => new(v.Columns, v.PrimaryKeys, v.PartitionKeys, v.Buckets, v.Options);
}
