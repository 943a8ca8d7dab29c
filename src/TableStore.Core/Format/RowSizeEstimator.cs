using TableStore.Core.Schema;

namespace TableStore.Core.Format;

/// <summary>
/// Estimates a row's size: encoded (<see cref="Estimate"/>, for file rolling and message sizes) or as the engine holds
/// it in memory (<see cref="EstimateInMemory"/>, for memtable and buffer limits: boxed values, the value array and
/// the memtable entry cost about three times the encoded size). Runs once per written row, so the fixed-width part
/// is precomputed and only strings and bytes are measured.
/// </summary>
public sealed class RowSizeEstimator
{
    // The object?[] (header, length, one reference per field) and the memtable's entry (row, sequence, kind).
    private const int ArrayOverhead = 24, ReferenceSize = 8, EntryOverhead = 32;
    // A boxed value's header, and a string's or byte[]'s header and length.
    private const int BoxOverhead = 16, ArrayHeader = 24;

    private readonly long _fixed;
    private readonly long _fixedInMemory;
    private readonly int[] _variable;

    public RowSizeEstimator(TableSchema schema)
    {
        _fixed = 16 + schema.Fields.Sum(f => f.Type.Kind switch
        {
            DataTypeKind.String or DataTypeKind.Bytes => 4,
            DataTypeKind.Decimal => 16,
            _ => 8,
        });
        _fixedInMemory = ArrayOverhead + EntryOverhead + schema.Fields.Sum(f => ReferenceSize + f.Type.Kind switch
        {
            DataTypeKind.String or DataTypeKind.Bytes => ArrayHeader,
            DataTypeKind.Decimal => BoxOverhead + 16,
            _ => BoxOverhead + 8,
        });
        _variable = schema.Fields.Select((f, i) => (f, i)).Where(x => x.f.Type.Kind is DataTypeKind.String or DataTypeKind.Bytes).Select(x => x.i).ToArray();
    }

    public long Estimate(object?[] row)
    {
        long size = _fixed;
        foreach (var i in _variable)
            size += row[i] switch { string s => s.Length, byte[] b => b.Length, _ => 0 };
        return size;
    }

    /// <summary>The row's size on the heap, as a memtable holds it (nulls counted as values: a bound, not a measure).</summary>
    public long EstimateInMemory(object?[] row)
    {
        long size = _fixedInMemory;
        foreach (var i in _variable)
            size += row[i] switch { string s => 2L * s.Length, byte[] b => b.Length, _ => 0 };
        return size;
    }
}
