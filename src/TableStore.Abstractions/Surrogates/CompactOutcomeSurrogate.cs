using TableStore.Core.Table;

namespace TableStore.Abstractions.Surrogates;

[GenerateSerializer, Immutable, Alias("TableStore.CompactOutcome")]
public readonly record struct CompactOutcomeSurrogate(
    [property: Id(0)] long? SnapshotId, [property: Id(1)] int Buckets, [property: Id(2)] int FilesBefore, [property: Id(3)] int FilesAfter,
    [property: Id(4)] long BytesRead, [property: Id(5)] long BytesWritten, [property: Id(6)] long RowsRead, [property: Id(7)] long RowsWritten);

