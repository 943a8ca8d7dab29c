using TableStore.Core.Manifest;

namespace TableStore.Core.Scan;

public sealed record ScanPlan(Snapshot? Snapshot, IReadOnlyList<DataSplit> Splits, int TotalFiles, int SkippedFiles);
