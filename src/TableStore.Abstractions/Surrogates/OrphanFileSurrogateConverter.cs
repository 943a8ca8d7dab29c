using TableStore.Core.Maintenance;

namespace TableStore.Abstractions.Surrogates;

[RegisterConverter]
public sealed class OrphanFileSurrogateConverter : IConverter<OrphanFile, OrphanFileSurrogate>
{
    public OrphanFile ConvertFromSurrogate(in OrphanFileSurrogate s) => new(s.Path, s.Size, s.LastModified);
    public OrphanFileSurrogate ConvertToSurrogate(in OrphanFile v) => new(v.Path, v.Size, v.LastModified);
}
