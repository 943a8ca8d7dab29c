using TableStore.Core.Api;

namespace TableStore.Abstractions.Surrogates;

[RegisterConverter]
public sealed class WriteOutcomeSurrogateConverter : IConverter<WriteOutcome, WriteOutcomeSurrogate>
{
    public WriteOutcome ConvertFromSurrogate(in WriteOutcomeSurrogate s) => new(s.SnapshotId, s.AlreadyCommitted);
    public WriteOutcomeSurrogate ConvertToSurrogate(in WriteOutcome v) => new(v.SnapshotId, v.AlreadyCommitted);
}
