using TableStore.Core.Table;

namespace TableStore.Abstractions.Surrogates;

[RegisterConverter]
public sealed class RescaleOutcomeSurrogateConverter : IConverter<RescaleOutcome, RescaleOutcomeSurrogate>
{
    public RescaleOutcome ConvertFromSurrogate(in RescaleOutcomeSurrogate s) => new(s.SnapshotId, s.OldBuckets, s.NewBuckets, s.Partitions, s.Rows);
    public RescaleOutcomeSurrogate ConvertToSurrogate(in RescaleOutcome v) => new(v.SnapshotId, v.OldBuckets, v.NewBuckets, v.Partitions, v.Rows);
}
