using TableStore.Core.Data;
using TableStore.Core.Schema;

namespace TableStore.Core.Table;

/// <summary>
/// Where a row goes: validated against the schema (values converted in place), then its partition and bucket.
/// The one routing rule of the embedded writer (<see cref="TableWrite"/>) and the service's table grain, so a row
/// lands in the same bucket whichever path writes it.
/// </summary>
public sealed class WriteRouter(TableSchema schema)
{
    private readonly RowValidator _validator = new(schema);
    private readonly BucketHasher _hasher = new(schema);
    private readonly int[] _partitionIndices = [.. schema.PartitionIndices];

    public TableSchema Schema => schema;

    /// <summary>Validates the row (errors name the column) and says where it goes; the value array is taken over.</summary>
    public RoutedRow Route(RowKind kind, object?[] values)
    {
        var validated = _validator.Validate(kind, values);
        var partition = _partitionIndices.Length == 0 ? [] : new object?[_partitionIndices.Length];
        for (int i = 0; i < partition.Length; i++) partition[i] = validated[_partitionIndices[i]];
        return new RoutedRow(validated, partition, _hasher.Bucket(validated));
    }
}
