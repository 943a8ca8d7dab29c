using TableStore.Core.Schema;

namespace TableStore.Abstractions.Surrogates;

[RegisterConverter]
public sealed class DataFieldSurrogateConverter : IConverter<DataField, DataFieldSurrogate>
{
    public DataField ConvertFromSurrogate(in DataFieldSurrogate s) => new(s.Id, s.Name, DataType.Parse(s.Type));
    public DataFieldSurrogate ConvertToSurrogate(in DataField v) => new(v.Id, v.Name, v.Type.ToString());
}
