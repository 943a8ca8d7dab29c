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
    public static bool[] Sort(KeyValue[] rows, TableSchema schema, KeyComparer keys)
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
        rows.AsSpan().Sort(new GeneralComparer(keys));
        var same = new bool[rows.Length];
        for (int i = 1; i < rows.Length; i++) same[i] = keys.Compare(rows[i].Row, rows[i - 1].Row) == 0;
        return same;
    }

    private static bool[] SortBy<TKey>(KeyValue[] rows, Func<KeyValue, TKey> key, Func<TKey, TKey, bool> sameKey) where TKey : IComparable<TKey>
    {
        // Sort keys with a 4-byte permutation, then move each row once: swapping the rows themselves
        // (object reference + sequence + kind) during the sort costs more, with a GC write barrier per swap.
        var keys = new TKey[rows.Length];
        var order = new int[rows.Length];
        for (int i = 0; i < rows.Length; i++) { keys[i] = key(rows[i]); order[i] = i; }
        keys.AsSpan().Sort(order.AsSpan());
        var original = (KeyValue[])rows.Clone();
        for (int i = 0; i < rows.Length; i++) rows[i] = original[order[i]];
        var same = new bool[rows.Length];
        for (int i = 1; i < rows.Length; i++) same[i] = sameKey(keys[i], keys[i - 1]);
        return same;
    }

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
