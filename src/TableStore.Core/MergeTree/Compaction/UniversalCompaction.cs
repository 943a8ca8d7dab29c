namespace TableStore.Core.MergeTree.Compaction;

/// <summary>
/// Universal compaction (RocksDB's, as Paimon uses it) over a bucket's sorted runs, newest first. In order:
/// <list type="number">
/// <item>Size amplification: when all runs but the oldest are larger than <c>maxSizeAmplificationPercent</c>
/// of the oldest, everything is compacted into one run (a full compaction).</item>
/// <item>Size ratio: starting from the newest run, runs are taken while the next run is not much larger
/// (<c>sizeRatio</c> percent) than what was taken so far.</item>
/// <item>Run count: above the trigger, the newest runs are merged until the count is back at the trigger.</item>
/// </list>
/// Nothing is picked below <c>compactionTrigger</c> runs, so steady writes make few, growing files.
/// </summary>
public sealed class UniversalCompaction(int compactionTrigger, int maxSizeAmplificationPercent, int sizeRatio, int numLevels)
{
    public int MaxLevel => numLevels - 1;

    public CompactUnit? Pick(IReadOnlyList<SortedRun> runs)
    {
        if (runs.Count < compactionTrigger) return null;
        return PickForSizeAmplification(runs)
            ?? PickForSizeRatio(runs, 1, force: false)
            ?? (runs.Count > compactionTrigger ? PickForSizeRatio(runs, runs.Count - compactionTrigger + 1, force: true) : null);
    }

    /// <summary>Everything into one run at the top level, retractions dropped; null when there is nothing to gain.</summary>
    /// <param name="retractionsDropped">False when the table keeps retractions anyway (sequence.field).</param>
    public CompactUnit? PickFull(IReadOnlyList<SortedRun> runs, bool retractionsDropped = true)
    {
        if (runs.Count == 0) return null;
        // One run already at the top without retractions (or keeping them anyway) is as compact as it gets.
        if (runs.Count == 1 && runs[0].Level == MaxLevel && (!retractionsDropped || runs[0].Files.All(f => !f.HasDeletes))) return null;
        return Unit(runs, runs.Count);
    }

    private CompactUnit? PickForSizeAmplification(IReadOnlyList<SortedRun> runs)
    {
        long newer = 0;
        for (int i = 0; i < runs.Count - 1; i++) newer += runs[i].TotalSize;
        long oldest = runs[^1].TotalSize;
        return newer * 100 > (long)maxSizeAmplificationPercent * oldest ? Unit(runs, runs.Count) : null;
    }

    private CompactUnit? PickForSizeRatio(IReadOnlyList<SortedRun> runs, int candidates, bool force)
    {
        long size = 0;
        for (int i = 0; i < candidates; i++) size += runs[i].TotalSize;
        for (int i = candidates; i < runs.Count; i++)
        {
            if (size * (100.0 + sizeRatio) / 100.0 < runs[i].TotalSize) break;
            size += runs[i].TotalSize;
            candidates++;
        }
        return force || candidates > 1 ? Unit(runs, candidates) : null;
    }

    /// <summary>
    /// The unit merging the newest <paramref name="count"/> runs. Output goes just above the next older run
    /// (never level 0, where each file would count as a run again), or to the top level if all runs are taken.
    /// </summary>
    private CompactUnit Unit(IReadOnlyList<SortedRun> runs, int count)
    {
        int output = count == runs.Count ? MaxLevel : Math.Max(0, runs[count].Level - 1);
        if (output == 0)
        {
            // Take older runs too until one sits above level 0; its level becomes the output level.
            while (count < runs.Count)
            {
                var next = runs[count++];
                if (next.Level != 0) { output = next.Level; break; }
            }
        }
        bool all = count == runs.Count;
        if (all) output = MaxLevel;
        return new CompactUnit(output, runs.Take(count).SelectMany(r => r.Files).ToList(), DropRetractions: all);
    }
}
