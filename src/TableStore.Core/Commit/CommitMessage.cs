using TableStore.Core.Manifest;

namespace TableStore.Core.Commit;

/// <summary>
/// What one bucket writer hands the committer: files it wrote, and for compactions the files it replaced.
/// </summary>
public sealed record CommitMessage(
    object?[] Partition,
    int Bucket,
    int TotalBuckets,
    IReadOnlyList<DataFileMeta> NewFiles,
    IReadOnlyList<DataFileMeta> CompactBefore,
    IReadOnlyList<DataFileMeta> CompactAfter)
{
    public static CommitMessage Append(object?[] partition, int bucket, int totalBuckets, IReadOnlyList<DataFileMeta> files) =>
        new(partition, bucket, totalBuckets, files, [], []);

    /// <summary>Changelog files (a changelog producer's output): read by streaming readers, never by scans.</summary>
    public IReadOnlyList<DataFileMeta> ChangelogFiles { get; init; } = [];

    public bool IsEmpty => NewFiles.Count == 0 && CompactBefore.Count == 0 && CompactAfter.Count == 0 && ChangelogFiles.Count == 0;
}
