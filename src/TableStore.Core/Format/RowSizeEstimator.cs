using TableStore.Core.Schema;

namespace TableStore.Core.Format;

/// <summary>
/// Estimates a row's size: encoded (<see cref="Estimate"/>, for file rolling and message sizes), in a memtable's
/// columns (<see cref="EstimateInMemtable"/>, for <c>write-buffer-size</c>), or as a boxed row (<see cref="EstimateInMemory"/>,
/// for buffers of rows: boxed values, the value array and the list entry cost about three times the encoded size).
/// Runs once per written row, so the fixed-width part is precomputed and only strings and bytes are measured.
/// </summary>
public sealed class RowSizeEstimator
{
    // The object?[] (header, length, one reference per field) and the memtable's entry (row, sequence, kind).
    private const int ArrayOverhead = 24, ReferenceSize = 8, EntryOverhead = 32;
    // A boxed value's header, and a string's or byte[]'s header and length.
    private const int BoxOverhead = 16, ArrayHeader = 24;

    private readonly long _fixed;
    private readonly long _fixedInMemory;
    private readonly long _fixedInMemtable;
    private readonly int[] _variable;
    private readonly int[] _stringsKeptAsObjects; // in a memtable: key strings (other strings are UTF-8 bytes there)

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
        // The memtable's columns: a sequence and a kind per row, each value in its typed array with a null flag, and a
        // reference per string or byte array plus the object itself.
        _fixedInMemtable = 9 + schema.Fields.Select((f, i) => f.Type.Kind switch
        {
            DataTypeKind.String when !schema.KeyIndices.Contains(i) => 12, // chunk, offset, length
            DataTypeKind.String or DataTypeKind.Bytes => ReferenceSize + ArrayHeader,
            DataTypeKind.Decimal => 17,
            DataTypeKind.Boolean => 2,
            DataTypeKind.Int or DataTypeKind.Float or DataTypeKind.Date => 5,
            _ => 9,
        }).Sum();
        _stringsKeptAsObjects = [.. schema.KeyIndices.Where(i => schema.Fields[i].Type.Kind == DataTypeKind.String)];
        _variable = schema.Fields.Select((f, i) => (f, i)).Where(x => x.f.Type.Kind is DataTypeKind.String or DataTypeKind.Bytes).Select(x => x.i).ToArray();
    }

    /// <summary>The encoded size of a row whose strings and byte arrays hold <paramref name="variableLength"/> characters and bytes.</summary>
    public long EstimateEncoded(long variableLength) => _fixed + variableLength;

    public long Estimate(object?[] row)
    {
        long size = _fixed;
        foreach (var i in _variable)
            size += row[i] switch { string s => s.Length, byte[] b => b.Length, _ => 0 };
        return size;
    }

    /// <summary>The row's size in a bucket writer's memtable, which holds it column by column (nulls counted as values).</summary>
    public long EstimateInMemtable(object?[] row)
    {
        // UTF-8 takes a byte per ASCII character; key strings, kept as strings, two.
        long size = _fixedInMemtable;
        foreach (var i in _variable)
            size += row[i] switch { string s => s.Length, byte[] b => b.Length, _ => 0 };
        foreach (var i in _stringsKeptAsObjects)
            if (row[i] is string s) size += s.Length;
        return size;
    }

    /// <summary>The row's size on the heap as a boxed array (nulls counted as values: a bound, not a measure).</summary>
    public long EstimateInMemory(object?[] row)
    {
        long size = _fixedInMemory;
        foreach (var i in _variable)
            size += row[i] switch { string s => 2L * s.Length, byte[] b => b.Length, _ => 0 };
        return size;
    }
}
