namespace TableStore.Grains.Write;

[GenerateSerializer, Immutable, Alias("TableStore.RowBatch")]
public struct RowBatchSurrogate
{
    [Id(0)] public byte[] Data;
}
