using TableStore.Core.Serialization;

namespace TableStore.Grains.Write;

[RegisterConverter]
public sealed class RowBatchSurrogateConverter : IConverter<RowBatch, RowBatchSurrogate>
{
    public RowBatch ConvertFromSurrogate(in RowBatchSurrogate surrogate)
    {
        var (kinds, rows) = RowBatchCodec.Decode(surrogate.Data);
        return new RowBatch(kinds, rows);
    }

    public RowBatchSurrogate ConvertToSurrogate(in RowBatch value) => new() { Data = RowBatchCodec.Encode(value.Kinds, value.Rows) };
}
