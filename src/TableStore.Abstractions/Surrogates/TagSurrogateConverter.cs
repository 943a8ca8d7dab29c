using TableStore.Core.Tags;

namespace TableStore.Abstractions.Surrogates;

[RegisterConverter]
public sealed class TagSurrogateConverter : IConverter<Tag, TagSurrogate>
{
    public Tag ConvertFromSurrogate(in TagSurrogate s) => new(s.Name, s.Snapshot);
    public TagSurrogate ConvertToSurrogate(in Tag v) => new(v.Name, v.Snapshot);
}
