using TableStore.Core.Data;
using TableStore.Core.Format;
using TableStore.Core.MergeTree;
using TableStore.Core.Schema;

namespace TableStore.Core.Lookup;

/// <summary>
/// One data file decoded for point lookups: its rows (sorted by primary key, each key once, as every data file of a
/// primary-key table is), with their sequence numbers and kinds, searched by binary search.
/// </summary>
public sealed class LookupFile
{
    private readonly object?[][] _rows;
    private readonly long[] _sequences;
    private readonly byte[] _kinds;
    private readonly KeyComparer _keys;

    private LookupFile(object?[][] rows, long[] sequences, byte[] kinds, KeyComparer keys, long estimatedBytes)
    {
        _rows = rows;
        _sequences = sequences;
        _kinds = kinds;
        _keys = keys;
        EstimatedBytes = estimatedBytes;
    }

    public int RowCount => _rows.Length;

    /// <summary>What the decoded rows take in memory, roughly: what the cache charges for this file.</summary>
    public long EstimatedBytes { get; }

    /// <summary>Copies what it keeps out of the (pooled) batch, which the caller still disposes.</summary>
    public static LookupFile From(ColumnBatch batch, TableSchema schema, out KeyBloomFilter bloom)
    {
        int n = batch.RowCount;
        var rows = new object?[n][];
        var sequences = batch.Sequences.AsSpan(0, n).ToArray();
        var kinds = batch.Kinds.AsSpan(0, n).ToArray();
        var keyIndices = schema.KeyIndices;
        var key = new object?[keyIndices.Length];
        bloom = new KeyBloomFilter(n);
        long bytes = 64 + n * (16L + 24 + 8 * schema.Fields.Length);
        for (int i = 0; i < n; i++)
        {
            var row = rows[i] = batch.Row(i);
            for (int k = 0; k < key.Length; k++) key[k] = row[keyIndices[k]];
            bloom.Add(KeyBloomFilter.Hash(key));
            foreach (var v in row)
                bytes += v switch { null => 0, string s => 24 + 2 * s.Length, byte[] b => 24 + b.Length, _ => 24 };
        }
        return new LookupFile(rows, sequences, kinds, new KeyComparer(keyIndices, schema), bytes);
    }

    /// <summary>The version of the key in this file, if any. <paramref name="probe"/> is a full-width row with the key columns set.</summary>
    public KeyValue? Find(object?[] probe)
    {
        int lo = 0, hi = _rows.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            int c = _keys.Compare(_rows[mid], probe);
            if (c == 0) return new KeyValue(_rows[mid], _sequences[mid], RowKindExtensions.FromByte(_kinds[mid]));
            if (c < 0) lo = mid + 1;
            else hi = mid - 1;
        }
        return null;
    }
}
