using TableStore.Core.Table;

namespace TableStore.Abstractions.Surrogates;

[RegisterConverter]
public sealed class CompactOutcomeSurrogateConverter : IConverter<CompactOutcome, CompactOutcomeSurrogate>
{
    public CompactOutcome ConvertFromSurrogate(in CompactOutcomeSurrogate s) =>
        new(s.SnapshotId, s.Buckets, s.FilesBefore, s.FilesAfter, s.BytesRead, s.BytesWritten, s.RowsRead, s.RowsWritten);

    public CompactOutcomeSurrogate ConvertToSurrogate(in CompactOutcome v) =>
        new(v.SnapshotId, v.Buckets, v.FilesBefore, v.FilesAfter, v.BytesRead, v.BytesWritten, v.RowsRead, v.RowsWritten);
}
