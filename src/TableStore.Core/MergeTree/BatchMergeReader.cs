using TableStore.Core.Data;
using TableStore.Core.Format;
using TableStore.Core.Schema;

namespace TableStore.Core.MergeTree;

/// <summary>
/// K-way merge over decoded files (sorted runs) of one bucket, comparing keys in their typed columns. It
/// yields each key's merged row once, in key order. For the deduplicate engine the winner is simply the
/// version with the highest sequence and no row but the winner is ever boxed; other engines get every
/// version of the key, in sequence order.
/// </summary>
public sealed class BatchMergeReader
{
    private readonly IReadOnlyList<ColumnBatch> _runs;
    private readonly int[] _pos;
    private readonly Func<int, int, int, int, int> _compareKeys;

    public BatchMergeReader(IReadOnlyList<ColumnBatch> runs, TableSchema schema)
    {
        _runs = runs;
        _pos = new int[runs.Count];
        _compareKeys = KeyComparison(runs, schema);
    }

    /// <summary>
    /// The merged result as picks: for the deduplicate engine a pick names the winning version (run, row) and
    /// nothing is boxed here, so the caller can materialize rows lazily; other engines' merged rows are carried
    /// in the pick. Retractions are dropped, unless a compaction must keep them to shadow older runs.
    /// </summary>
    public List<MergePick> Merge(IMergeFunction merge, bool dropRetractions = true)
    {
        var picks = new List<MergePick>(_runs.Max(r => r.RowCount));
        bool dedupe = merge is DeduplicateMergeFunction;
        var group = new List<int>(_runs.Count);
        var heap = _runs.Count > 8 ? new PriorityQueue<int, int>(Comparer<int>.Create(CompareHeads)) : null;
        if (heap is not null)
            for (int r = 0; r < _runs.Count; r++) if (_runs[r].RowCount > 0) heap.Enqueue(r, r);

        while (true)
        {
            // Collect the runs whose head has the smallest key (a key appears at most once per run).
            group.Clear();
            if (heap is null)
            {
                for (int r = 0; r < _runs.Count; r++)
                {
                    if (_pos[r] >= _runs[r].RowCount) continue;
                    int c = group.Count == 0 ? -1 : CompareHeadKeys(r, group[0]);
                    if (c < 0) { group.Clear(); group.Add(r); }
                    else if (c == 0) group.Add(r);
                }
            }
            else if (heap.TryDequeue(out var first, out _))
            {
                group.Add(first);
                while (heap.TryPeek(out var next, out _) && CompareHeadKeys(next, first) == 0) group.Add(heap.Dequeue());
            }
            if (group.Count == 0) return picks;

            if (dedupe || group.Count == 1)
            {
                int win = group[0];
                foreach (var r in group) if (Seq(r) > Seq(win)) win = r;
                if (!dropRetractions || !_runs[win].Kind(_pos[win]).IsRetract()) picks.Add(new MergePick(win, _pos[win], null));
            }
            else
            {
                group.Sort((a, b) => Seq(a).CompareTo(Seq(b)));
                merge.Reset();
                foreach (var r in group) merge.Add(new KeyValue(_runs[r].Row(_pos[r]), Seq(r), _runs[r].Kind(_pos[r])));
                if (merge.GetResult() is { } kv && (!dropRetractions || !kv.Kind.IsRetract())) picks.Add(new MergePick(-1, -1, kv));
            }

            foreach (var r in group)
            {
                _pos[r]++;
                if (heap is not null && _pos[r] < _runs[r].RowCount) heap.Enqueue(r, r);
            }
        }
    }

    /// <summary>Rows of a merge result, materialized on demand.</summary>
    public static IEnumerable<object?[]> Rows(IReadOnlyList<ColumnBatch> runs, List<MergePick> picks)
    {
        foreach (var p in picks) yield return p.Merged?.Row ?? runs[p.Run].Row(p.Row);
    }

    /// <summary>The merge result as versions (row, sequence, kind), for writers of merged runs and readers of changes.</summary>
    public static IEnumerable<KeyValue> Versions(IReadOnlyList<ColumnBatch> runs, List<MergePick> picks)
    {
        foreach (var p in picks)
            yield return p.Merged ?? new KeyValue(runs[p.Run].Row(p.Row), runs[p.Run].Sequences[p.Row], runs[p.Run].Kind(p.Row));
    }

    private long Seq(int run) => _runs[run].Sequences[_pos[run]];

    private int CompareHeadKeys(int a, int b) => _compareKeys(a, _pos[a], b, _pos[b]);

    private int CompareHeads(int a, int b)
    {
        int c = CompareHeadKeys(a, b);
        return c != 0 ? c : Seq(a).CompareTo(Seq(b));
    }

    /// <summary>Single BIGINT, INT and STRING keys compare straight from their arrays; others compare boxed values.</summary>
    private static Func<int, int, int, int, int> KeyComparison(IReadOnlyList<ColumnBatch> runs, TableSchema schema)
    {
        var keys = schema.KeyIndices;
        if (keys.Length == 1)
        {
            int k = keys[0];
            if (runs.All(r => r.Columns[k] is ValueVector<long>))
            {
                var arrays = runs.Select(r => ((ValueVector<long>)r.Columns[k]!).Values).ToArray();
                return (a, i, b, j) => arrays[a][i].CompareTo(arrays[b][j]);
            }
            if (runs.All(r => r.Columns[k] is ValueVector<int>))
            {
                var arrays = runs.Select(r => ((ValueVector<int>)r.Columns[k]!).Values).ToArray();
                return (a, i, b, j) => arrays[a][i].CompareTo(arrays[b][j]);
            }
            if (runs.All(r => r.Columns[k] is RefVector<string>))
            {
                var arrays = runs.Select(r => ((RefVector<string>)r.Columns[k]!).Values).ToArray();
                return (a, i, b, j) => string.CompareOrdinal(arrays[a][i], arrays[b][j]);
            }
        }
        return (a, i, b, j) =>
        {
            foreach (var k in keys)
            {
                int c = Values.CompareNullable(runs[a].Columns[k]!.Get(i), runs[b].Columns[k]!.Get(j));
                if (c != 0) return c;
            }
            return 0;
        };
    }
}
