using TableStore.Core.Data;

namespace TableStore.Core.MergeTree;

/// <summary>
/// K-way merge of sorted runs. Each run is sorted by (key, sequence); the output visits keys in order and
/// hands every version of a key, oldest first, to the merge function. With <c>dropRetracts</c> (reads and
/// compactions into the last level) keys whose merged row is -U/-D disappear; otherwise the retraction is kept
/// so it still shadows older runs.
/// </summary>
public static class SortMergeReader
{
    public static IEnumerable<KeyValue> Merge(IReadOnlyList<IReadOnlyList<KeyValue>> runs, KeyComparer keys, IMergeFunction merge, bool dropRetracts)
    {
        if (runs.Count == 1) return MergeSingle(runs[0], keys, merge, dropRetracts);
        // For few runs a linear scan of the heads beats a heap: fewer comparisons and no queue upkeep.
        if (runs.Count <= 8) return MergeFew(runs, keys, merge, dropRetracts);
        return MergeMany(runs, keys, merge, dropRetracts);
    }

    /// <summary>Merges one sorted run whose key groups are already known (from <see cref="KeySorter"/>).</summary>
    public static List<KeyValue> MergeSorted(KeyValue[] run, bool[] sameKeyAsPrevious, IMergeFunction merge, bool dropRetracts)
    {
        var result = new List<KeyValue>(run.Length);
        int i = 0;
        while (i < run.Length)
        {
            merge.Reset();
            merge.Add(run[i++]);
            while (i < run.Length && sameKeyAsPrevious[i]) merge.Add(run[i++]);
            if (merge.GetResult() is { } r && !(dropRetracts && r.Kind.IsRetract())) result.Add(r);
        }
        return result;
    }

    private static IEnumerable<KeyValue> MergeSingle(IReadOnlyList<KeyValue> run, KeyComparer keys, IMergeFunction merge, bool dropRetracts)
    {
        int i = 0;
        while (i < run.Count)
        {
            merge.Reset();
            var first = run[i];
            merge.Add(first);
            int j = i + 1;
            while (j < run.Count && keys.Compare(run[j].Row, first.Row) == 0) merge.Add(run[j++]);
            i = j;
            if (merge.GetResult() is { } r && !(dropRetracts && r.Kind.IsRetract())) yield return r;
        }
    }

    private static IEnumerable<KeyValue> MergeFew(IReadOnlyList<IReadOnlyList<KeyValue>> runs, KeyComparer keys, IMergeFunction merge, bool dropRetracts)
    {
        int k = runs.Count;
        var pos = new int[k];
        while (true)
        {
            // The smallest head key; all versions of it, across runs, are merged in sequence order.
            int min = -1;
            for (int r = 0; r < k; r++)
            {
                if (pos[r] >= runs[r].Count) continue;
                if (min < 0 || keys.Compare(runs[r][pos[r]].Row, runs[min][pos[min]].Row) < 0) min = r;
            }
            if (min < 0) yield break;
            var current = runs[min][pos[min]].Row;
            merge.Reset();
            while (true)
            {
                int next = -1;
                for (int r = 0; r < k; r++)
                {
                    if (pos[r] >= runs[r].Count || keys.Compare(runs[r][pos[r]].Row, current) != 0) continue;
                    if (next < 0 || runs[r][pos[r]].Sequence < runs[next][pos[next]].Sequence) next = r;
                }
                if (next < 0) break;
                merge.Add(runs[next][pos[next]++]);
            }
            if (merge.GetResult() is { } result && !(dropRetracts && result.Kind.IsRetract())) yield return result;
        }
    }

    private static IEnumerable<KeyValue> MergeMany(IReadOnlyList<IReadOnlyList<KeyValue>> runs, KeyComparer keys, IMergeFunction merge, bool dropRetracts)
    {
        var cmp = keys.WithSequence();
        var heap = new PriorityQueue<(int Run, int Pos), KeyValue>(runs.Count, cmp);
        for (int r = 0; r < runs.Count; r++)
            if (runs[r].Count > 0) heap.Enqueue((r, 0), runs[r][0]);

        while (heap.Count > 0)
        {
            merge.Reset();
            heap.TryPeek(out _, out var head);
            var current = head.Row;
            while (heap.TryPeek(out var cursor, out var kv) && keys.Compare(kv.Row, current) == 0)
            {
                heap.Dequeue();
                merge.Add(kv);
                var run = runs[cursor.Run];
                if (cursor.Pos + 1 < run.Count) heap.Enqueue((cursor.Run, cursor.Pos + 1), run[cursor.Pos + 1]);
            }
            if (merge.GetResult() is { } result && !(dropRetracts && result.Kind.IsRetract())) yield return result;
        }
    }
}
