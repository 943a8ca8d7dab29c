using TableStore.Core.Data;
using TableStore.Core.Schema;

namespace TableStore.Core.MergeTree;

/// <summary>
/// Orders rows by their primary key. The common single-column integer and string keys get a
/// specialised path because the comparer is the inner loop of sorting, merging and lookups.
/// </summary>
public sealed class KeyComparer : IComparer<object?[]>
{
    private readonly int[] _indices;
    private readonly DataTypeKind _singleKind;

    public KeyComparer(IReadOnlyList<int> keyIndices, TableSchema schema)
    {
        _indices = [.. keyIndices];
        _singleKind = _indices.Length == 1 ? schema.Fields[_indices[0]].Type.Kind : DataTypeKind.Boolean;
    }

    public int KeyLength => _indices.Length;

    /// <summary>Compares the key columns of two full rows.</summary>
    public int Compare(object?[]? a, object?[]? b)
    {
        if (_indices.Length == 1)
        {
            int i = _indices[0];
            return _singleKind switch
            {
                DataTypeKind.BigInt => ((long)a![i]!).CompareTo((long)b![i]!),
                DataTypeKind.Int => ((int)a![i]!).CompareTo((int)b![i]!),
                DataTypeKind.String => string.CompareOrdinal((string)a![i]!, (string)b![i]!),
                _ => Values.CompareNullable(a![i], b![i]),
            };
        }
        foreach (var i in _indices)
        {
            int c = Values.CompareNullable(a![i], b![i]);
            if (c != 0) return c;
        }
        return 0;
    }

    public object?[] ExtractKey(object?[] row)
    {
        var key = new object?[_indices.Length];
        for (int k = 0; k < key.Length; k++) key[k] = row[_indices[k]];
        return key;
    }

}
