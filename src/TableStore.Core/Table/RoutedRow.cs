namespace TableStore.Core.Table;

/// <summary>A validated row and the partition (values of the partition columns) and bucket it belongs to.</summary>
public readonly record struct RoutedRow(object?[] Values, object?[] Partition, int Bucket)
{
    public (Manifest.PartitionKey Partition, int Bucket) Location => (Manifest.PartitionKey.Of(Partition), Bucket);
}
