using System.Buffers;
using TableStore.Core.Schema;

namespace TableStore.Core.MergeTree;

/// <summary>
/// Sorts a memtable by (key, sequence). Single-column integer and string keys are sorted on extracted
/// struct keys, which the runtime specialises (no boxing, no delegate per comparison): the memtable sort
/// is the largest CPU cost of a write.
/// </summary>
internal static class KeySorter
{
    /// <summary>Sorts in place; returns, per position, whether that row has the same key as the one before it.</summary>
    public static bool[] Sort(Span<KeyValue> rows, TableSchema schema, KeyComparer keys)
    {
        if (schema.KeyIndices.Length == 1)
        {
            int k = schema.KeyIndices[0];
            switch (schema.Fields[k].Type.Kind)
            {
                case DataTypeKind.BigInt:
                    return SortBy(rows, r => new LongKey((long)r.Row[k]!, r.Sequence), (a, b) => a.Key == b.Key);
                case DataTypeKind.Int:
                    return SortBy(rows, r => new LongKey((int)r.Row[k]!, r.Sequence), (a, b) => a.Key == b.Key);
                case DataTypeKind.String:
                    return SortBy(rows, r => new StringKey((string)r.Row[k]!, r.Sequence), (a, b) => string.Equals(a.Key, b.Key, StringComparison.Ordinal));
            }
        }
        rows.Sort(new GeneralComparer(keys));
        var same = new bool[rows.Length];
        for (int i = 1; i < rows.Length; i++) same[i] = keys.Compare(rows[i].Row, rows[i - 1].Row) == 0;
        return same;
    }

    private static bool[] SortBy<TKey>(Span<KeyValue> rows, Func<KeyValue, TKey> key, Func<TKey, TKey, bool> sameKey) where TKey : IComparable<TKey>
    {
        // Sort the keys with a 4-byte permutation, then move each row once (following the permutation's
        // cycles, in place): swapping the rows themselves during the sort costs a GC write barrier per swap.
        // Both buffers are pooled: they are large and live only for this call.
        int n = rows.Length;
        var keys = ArrayPool<TKey>.Shared.Rent(n);
        var order = ArrayPool<int>.Shared.Rent(n);
        try
        {
            for (int i = 0; i < n; i++) { keys[i] = key(rows[i]); order[i] = i; }
            keys.AsSpan(0, n).Sort(order.AsSpan(0, n));
            Permute(rows, order.AsSpan(0, n));
            var same = new bool[n];
            for (int i = 1; i < n; i++) same[i] = sameKey(keys[i], keys[i - 1]);
            return same;
        }
        finally
        {
            ArrayPool<TKey>.Shared.Return(keys, clearArray: RuntimeHelpersIsReference<TKey>());
            ArrayPool<int>.Shared.Return(order);
        }
    }

    /// <summary>Rearranges <paramref name="rows"/> so that position i holds the row that was at order[i]; consumes order.</summary>
    private static void Permute(Span<KeyValue> rows, Span<int> order)
    {
        for (int start = 0; start < rows.Length; start++)
        {
            if (order[start] < 0 || order[start] == start) continue;
            var first = rows[start];
            int at = start;
            while (order[at] != start)
            {
                int from = order[at];
                rows[at] = rows[from];
                order[at] = -1;
                at = from;
            }
            rows[at] = first;
            order[at] = -1;
        }
    }

    private static bool RuntimeHelpersIsReference<T>() => System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<T>();

    private readonly record struct LongKey(long Key, long Sequence) : IComparable<LongKey>
    {
        public int CompareTo(LongKey other)
        {
            int c = Key.CompareTo(other.Key);
            return c != 0 ? c : Sequence.CompareTo(other.Sequence);
        }
    }

    private readonly record struct StringKey(string Key, long Sequence) : IComparable<StringKey>
    {
        public int CompareTo(StringKey other)
        {
            int c = string.CompareOrdinal(Key, other.Key);
            return c != 0 ? c : Sequence.CompareTo(other.Sequence);
        }
    }

    private readonly struct GeneralComparer(KeyComparer keys) : IComparer<KeyValue>
    {
        public int Compare(KeyValue x, KeyValue y)
        {
            int c = keys.Compare(x.Row, y.Row);
            return c != 0 ? c : x.Sequence.CompareTo(y.Sequence);
        }
    }
}
