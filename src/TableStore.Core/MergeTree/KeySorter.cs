using TableStore.Core.Schema;

namespace TableStore.Core.MergeTree;

/// <summary>
/// Sorts a memtable by (key, sequence). Single-column integer and string keys are sorted on extracted
/// struct keys, which the runtime specialises (no boxing, no delegate per comparison): the memtable sort
/// is the largest CPU cost of a write.
/// </summary>
internal static class KeySorter
{
    public static void Sort(KeyValue[] rows, TableSchema schema, KeyComparer keys)
    {
        if (schema.KeyIndices.Length == 1)
        {
            int k = schema.KeyIndices[0];
            switch (schema.Fields[k].Type.Kind)
            {
                case DataTypeKind.BigInt:
                    SortBy(rows, r => new LongKey((long)r.Row[k]!, r.Sequence));
                    return;
                case DataTypeKind.Int:
                    SortBy(rows, r => new LongKey((int)r.Row[k]!, r.Sequence));
                    return;
                case DataTypeKind.String:
                    SortBy(rows, r => new StringKey((string)r.Row[k]!, r.Sequence));
                    return;
            }
        }
        rows.AsSpan().Sort(new GeneralComparer(keys));
    }

    private static void SortBy<TKey>(KeyValue[] rows, Func<KeyValue, TKey> key) where TKey : IComparable<TKey>
    {
        var keys = new TKey[rows.Length];
        for (int i = 0; i < rows.Length; i++) keys[i] = key(rows[i]);
        keys.AsSpan().Sort(rows.AsSpan());
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
