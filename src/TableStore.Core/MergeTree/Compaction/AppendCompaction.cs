using TableStore.Core.Manifest;

namespace TableStore.Core.MergeTree.Compaction;

/// <summary>
/// Small-file compaction for append-only buckets: a window of consecutive (in write order) files below the
/// target size is rewritten as files of the target size. Order is kept, so readers see rows as before.
/// </summary>
public sealed class AppendCompaction(long targetFileSize, int minFileNum, int maxFileNum)
{
    public CompactUnit? Pick(IReadOnlyList<DataFileMeta> files, bool full)
    {
        var ordered = files.OrderBy(f => f.MinSequence).ToList();
        var window = new List<DataFileMeta>();
        var best = new List<DataFileMeta>();
        foreach (var f in ordered)
        {
            if (f.FileSize < targetFileSize && (full || window.Count < maxFileNum))
            {
                window.Add(f);
                continue;
            }
            if (window.Count > best.Count) best = window;
            window = f.FileSize < targetFileSize ? [f] : [];
        }
        if (window.Count > best.Count) best = window;
        int needed = full ? 2 : minFileNum;
        return best.Count >= needed ? new CompactUnit(0, best, DropRetractions: false) : null;
    }
}
