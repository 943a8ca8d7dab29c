using TableStore.Core.Tags;
using TableStore.Core.Consumers;

namespace TableStore.Abstractions.Surrogates;

[RegisterConverter]
public sealed class ConsumerSurrogateConverter : IConverter<Consumer, ConsumerSurrogate>
{
    public Consumer ConvertFromSurrogate(in ConsumerSurrogate s) => new(s.Id, s.NextSnapshot);
    public ConsumerSurrogate ConvertToSurrogate(in Consumer v) => new(v.Id, v.NextSnapshot);
}
