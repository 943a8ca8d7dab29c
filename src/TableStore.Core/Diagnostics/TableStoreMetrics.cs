using System.Diagnostics.Metrics;

namespace TableStore.Core.Diagnostics;

/// <summary>
/// The engine's metrics, on the <c>TableStore.Core</c> meter (collect with OpenTelemetry or dotnet-counters).
/// Tags name the table so one process can serve many.
/// </summary>
public static class TableStoreMetrics
{
    public const string MeterName = "TableStore.Core";
    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> Commits = Meter.CreateCounter<long>("tablestore.commits", description: "Snapshots committed");
    public static readonly Counter<long> CommitRetries = Meter.CreateCounter<long>("tablestore.commit.retries", description: "Commit attempts lost to another committer");
    public static readonly Counter<long> CommitConflicts = Meter.CreateCounter<long>("tablestore.commit.conflicts", description: "Commits aborted by a conflict");
    public static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>("tablestore.commit.duration", "ms", "Time to commit a snapshot");
    public static readonly Counter<long> RowsWritten = Meter.CreateCounter<long>("tablestore.rows.written", description: "Rows written to data files");
    public static readonly Counter<long> FilesWritten = Meter.CreateCounter<long>("tablestore.files.written", description: "Data files written");
    public static readonly Counter<long> BytesWritten = Meter.CreateCounter<long>("tablestore.bytes.written", "By", "Bytes of data files written");
    public static readonly Counter<long> FilesScanned = Meter.CreateCounter<long>("tablestore.scan.files", description: "Data files planned for reading");
    public static readonly Counter<long> FilesSkipped = Meter.CreateCounter<long>("tablestore.scan.files.skipped", description: "Data files pruned by the filter");

    public static readonly Counter<long> Compactions = Meter.CreateCounter<long>("tablestore.compactions", description: "Bucket compactions committed");
    public static readonly Counter<long> CompactionBytesRead = Meter.CreateCounter<long>("tablestore.compaction.bytes.read", "By", "Bytes of data files rewritten by compaction");
    public static readonly Counter<long> CompactionConflicts = Meter.CreateCounter<long>("tablestore.compaction.conflicts", description: "Compactions discarded because their input files were removed meanwhile");
    public static readonly Histogram<int> SortedRuns = Meter.CreateHistogram<int>("tablestore.bucket.sorted-runs", description: "Sorted runs of a bucket, when a writer counts them (the service's bucket writers, near the stop trigger)");
    public static readonly Counter<long> WriteStalls = Meter.CreateCounter<long>("tablestore.write.stalls", description: "Writes that waited for compaction because a bucket reached the stop trigger");
    public static readonly Counter<long> SnapshotsExpired = Meter.CreateCounter<long>("tablestore.snapshots.expired", description: "Snapshots removed by expiration");
    public static readonly Counter<long> FilesDeleted = Meter.CreateCounter<long>("tablestore.files.deleted", description: "Data and manifest files deleted by expiration and orphan cleanup");

    public static KeyValuePair<string, object?> Table(string table) => new("table", table);
}
