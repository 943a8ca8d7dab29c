using TableStore.Core.Manifest;

namespace TableStore.Core.MergeTree.Compaction;

/// <summary>
/// Files of one bucket whose key ranges do not overlap, so a reader merges one stream per run. Every level-0
/// file is a run of its own (each flush is sorted on its own); every higher level is one run.
/// </summary>
public sealed record SortedRun(int Level, IReadOnlyList<DataFileMeta> Files)
{
    public long TotalSize { get; } = Files.Sum(f => f.FileSize);

    public long MaxSequence => Files.Max(f => f.MaxSequence);

    /// <summary>
    /// A bucket's files as sorted runs, newest first: level-0 files by descending sequence, then levels 1, 2, …
    /// Newer data always sits in lower levels, so this is also the order of the data's age.
    /// </summary>
    public static List<SortedRun> Of(IEnumerable<DataFileMeta> files)
    {
        var runs = new List<SortedRun>();
        var byLevel = files.GroupBy(f => f.Level).OrderBy(g => g.Key);
        foreach (var level in byLevel)
        {
            if (level.Key == 0)
                runs.AddRange(level.OrderByDescending(f => f.MaxSequence).Select(f => new SortedRun(0, [f])));
            else
                runs.Add(new SortedRun(level.Key, level.OrderBy(f => f.MinSequence).ToList()));
        }
        return runs;
    }
}
