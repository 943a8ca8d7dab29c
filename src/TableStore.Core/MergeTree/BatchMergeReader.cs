using TableStore.Core.Data;
using TableStore.Core.Format;
using TableStore.Core.Schema;

namespace TableStore.Core.MergeTree;

/// <summary>
/// K-way merge over the sorted runs of one bucket, read a batch (row group) at a time and compared by their typed key
/// columns. It yields each key's merged row once, in key order, in segments: a segment ends where a run's batch is used
/// up, its picks point into the batches held then, and the next call replaces the used-up batches. So a merge holds
/// one batch per run, whatever the size of the files. For the deduplicate engine the winner is simply the version
/// with the highest sequence and no row is boxed here; other engines get every version of the key, in sequence order.
/// </summary>
public sealed class BatchMergeReader : IAsyncDisposable
{
    private readonly IReadOnlyList<IBatchSource> _sources;
    private readonly ColumnBatch?[] _runs;
    private readonly bool[] _finished;
    private readonly int[] _pos;
    private readonly HeadKeys _keys;
    private readonly IMergeFunction _merge;
    private readonly bool _dedupe;
    private readonly bool _dropRetractions;
    private readonly PriorityQueue<int, int>? _heap;
    private readonly List<int> _group;
    private readonly MergeSegment _segment;

    /// <param name="sources">The runs; the reader disposes them.</param>
    /// <param name="dropRetractions">Drop merged retractions; a compaction keeps them while older runs remain below to shadow.</param>
    public BatchMergeReader(IReadOnlyList<IBatchSource> sources, TableSchema schema, IMergeFunction merge, bool dropRetractions = true)
    {
        _sources = sources;
        _runs = new ColumnBatch?[sources.Count];
        _finished = new bool[sources.Count];
        _pos = new int[sources.Count];
        _keys = new HeadKeys([.. schema.KeyIndices], _runs);
        _merge = merge;
        _dedupe = merge is DeduplicateMergeFunction;
        _dropRetractions = dropRetractions;
        _group = new List<int>(sources.Count);
        // Few runs: a linear scan of the heads beats a heap.
        _heap = sources.Count > 8 ? new PriorityQueue<int, int>(Comparer<int>.Create(CompareHeads)) : null;
        _segment = new MergeSegment(_runs);
    }

    /// <summary>
    /// The next segment of the merge, or null when every run is used up. The segment and the batches its picks point
    /// into stay valid until the next call.
    /// </summary>
    public async ValueTask<MergeSegment?> NextAsync(CancellationToken ct = default)
    {
        await RefillAsync(ct).ConfigureAwait(false);
        var picks = _segment.Picks;
        picks.Clear();
        bool any = false;
        for (int r = 0; r < _runs.Length; r++) any |= !_finished[r];
        if (!any) return null;

        bool runUsedUp = false;
        while (!runUsedUp)
        {
            // Collect the runs whose head has the smallest key (a key appears at most once per run).
            var group = _group;
            group.Clear();
            if (_heap is null)
            {
                for (int r = 0; r < _runs.Length; r++)
                {
                    if (_finished[r]) continue;
                    int c = group.Count == 0 ? -1 : _keys.Compare(r, _pos[r], group[0], _pos[group[0]]);
                    if (c < 0) { group.Clear(); group.Add(r); }
                    else if (c == 0) group.Add(r);
                }
            }
            else if (_heap.TryDequeue(out var first, out _))
            {
                group.Add(first);
                while (_heap.TryPeek(out var next, out _) && _keys.Compare(next, _pos[next], first, _pos[first]) == 0) group.Add(_heap.Dequeue());
            }
            if (group.Count == 0) break;

            if (_dedupe || group.Count == 1)
            {
                int win = group[0];
                foreach (var r in group) if (Seq(r) > Seq(win)) win = r;
                if (!_dropRetractions || !_runs[win]!.Kind(_pos[win]).IsRetract()) picks.Add(new MergePick(win, _pos[win], null));
            }
            else
            {
                group.Sort((a, b) => Seq(a).CompareTo(Seq(b)));
                _merge.Reset();
                foreach (var r in group) _merge.Add(new KeyValue(_runs[r]!.Row(_pos[r]), Seq(r), _runs[r]!.Kind(_pos[r])));
                if (_merge.GetResult() is { } kv && (!_dropRetractions || !kv.Kind.IsRetract())) picks.Add(new MergePick(-1, -1, kv));
            }

            foreach (var r in group)
            {
                // A used-up batch ends the segment: the run's next key is unknown until its next batch is read.
                if (++_pos[r] >= _runs[r]!.RowCount) runUsedUp = true;
                else _heap?.Enqueue(r, r);
            }
        }
        return _segment;
    }

    /// <summary>Replaces used-up batches with their runs' next ones (skipping empty ones); a run without more is finished.</summary>
    private async ValueTask RefillAsync(CancellationToken ct)
    {
        _group.Clear();
        for (int r = 0; r < _runs.Length; r++)
        {
            bool refilled = false;
            while (!_finished[r] && (_runs[r] is null || _pos[r] >= _runs[r]!.RowCount))
            {
                _runs[r]?.Dispose();
                _runs[r] = await _sources[r].NextAsync(ct).ConfigureAwait(false);
                _pos[r] = 0;
                _finished[r] = _runs[r] is null;
                refilled = !_finished[r];
            }
            if (refilled) _group.Add(r);
        }
        // The heap compares through the key arrays: they must be the new batches' before a refilled run goes in.
        _keys.Refresh();
        if (_heap is not null) foreach (var r in _group) _heap.Enqueue(r, r);
    }

    private long Seq(int run) => _runs[run]!.Sequences[_pos[run]];

    private int CompareHeads(int a, int b)
    {
        int c = _keys.Compare(a, _pos[a], b, _pos[b]);
        return c != 0 ? c : Seq(a).CompareTo(Seq(b));
    }

    public async ValueTask DisposeAsync()
    {
        for (int r = 0; r < _runs.Length; r++)
        {
            _runs[r]?.Dispose();
            _runs[r] = null;
        }
        foreach (var s in _sources) await s.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The key columns of the runs' current batches. Single BIGINT, INT and STRING keys compare straight from their
    /// arrays; other keys, or runs whose batches differ in column layout, compare boxed values.
    /// </summary>
    private sealed class HeadKeys(int[] keys, ColumnBatch?[] runs)
    {
        private readonly long[]?[] _longs = new long[]?[runs.Length];
        private readonly int[]?[] _ints = new int[]?[runs.Length];
        private readonly string[]?[] _strings = new string[]?[runs.Length];
        private DataTypeKind? _fast;

        public void Refresh()
        {
            _fast = null;
            if (keys.Length != 1) return;
            int k = keys[0];
            bool longs = true, ints = true, strings = true;
            for (int r = 0; r < runs.Length; r++)
            {
                var column = runs[r]?.Columns[k];
                _longs[r] = (column as ValueVector<long>)?.Values;
                _ints[r] = (column as ValueVector<int>)?.Values;
                _strings[r] = (column as RefVector<string>)?.Values;
                if (runs[r] is null) continue; // finished: never compared
                longs &= _longs[r] is not null;
                ints &= _ints[r] is not null;
                strings &= _strings[r] is not null;
            }
            _fast = longs ? DataTypeKind.BigInt : ints ? DataTypeKind.Int : strings ? DataTypeKind.String : null;
        }

        public int Compare(int a, int i, int b, int j)
        {
            switch (_fast)
            {
                case DataTypeKind.BigInt: return _longs[a]![i].CompareTo(_longs[b]![j]);
                case DataTypeKind.Int: return _ints[a]![i].CompareTo(_ints[b]![j]);
                case DataTypeKind.String: return string.CompareOrdinal(_strings[a]![i], _strings[b]![j]);
            }
            foreach (var k in keys)
            {
                int c = Values.CompareNullable(runs[a]!.Columns[k]!.Get(i), runs[b]!.Columns[k]!.Get(j));
                if (c != 0) return c;
            }
            return 0;
        }
    }
}
