using TableStore.Core.Maintenance;

namespace TableStore.Abstractions.Surrogates;

[RegisterConverter]
public sealed class ExpireOutcomeSurrogateConverter : IConverter<ExpireOutcome, ExpireOutcomeSurrogate>
{
    public ExpireOutcome ConvertFromSurrogate(in ExpireOutcomeSurrogate s) =>
        new(s.SnapshotsExpired, s.EarliestRetained, s.DataFilesDeleted, s.ManifestFilesDeleted, s.ProtectedByConsumers);

    public ExpireOutcomeSurrogate ConvertToSurrogate(in ExpireOutcome v) =>
        new(v.SnapshotsExpired, v.EarliestRetained, v.DataFilesDeleted, v.ManifestFilesDeleted, v.ProtectedByConsumers);
}
