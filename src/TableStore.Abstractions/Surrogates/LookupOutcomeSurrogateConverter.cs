using TableStore.Core.Api;

namespace TableStore.Abstractions.Surrogates;

[RegisterConverter]
public sealed class LookupOutcomeSurrogateConverter : IConverter<LookupOutcome, LookupOutcomeSurrogate>
{
    public LookupOutcome ConvertFromSurrogate(in LookupOutcomeSurrogate s) => new(s.SnapshotId, s.Row);
    public LookupOutcomeSurrogate ConvertToSurrogate(in LookupOutcome v) => new(v.SnapshotId, v.Row);
}
