using TableStore.Core.Manifest;

namespace TableStore.Core.MergeTree.Compaction;

/// <summary>
/// What to compact in one bucket: the input files and the level their merged output goes to. When the unit
/// holds every run of the bucket, nothing older remains below it and retractions can be dropped.
/// </summary>
public sealed record CompactUnit(int OutputLevel, IReadOnlyList<DataFileMeta> Files, bool DropRetractions);
