using TableStore.Core.Maintenance;

namespace TableStore.Abstractions.Surrogates;

[RegisterConverter]
public sealed class OrphanCleanOutcomeSurrogateConverter : IConverter<OrphanCleanOutcome, OrphanCleanOutcomeSurrogate>
{
    public OrphanCleanOutcome ConvertFromSurrogate(in OrphanCleanOutcomeSurrogate s) => new(s.Orphans, s.Deleted, s.YoungerSkipped);
    public OrphanCleanOutcomeSurrogate ConvertToSurrogate(in OrphanCleanOutcome v) => new([.. v.Orphans], v.Deleted, v.YoungerSkipped);
}
