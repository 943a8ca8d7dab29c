namespace TableStore.Grains.Write;

/// <summary>A <see cref="RowBatch"/> between silos: its rows as one <see cref="Core.Serialization.RowBatchCodec"/> byte array.</summary>
[GenerateSerializer, Immutable, Alias("TableStore.RowBatch")]
public readonly record struct RowBatchSurrogate([property: Id(0)] byte[] Data);
