using TableStore.Core.Manifest;

namespace TableStore.Core.Scan;

/// <summary>The files of one bucket to merge-read together.</summary>
public sealed record DataSplit(object?[] Partition, int Bucket, IReadOnlyList<DataFileMeta> Files);
