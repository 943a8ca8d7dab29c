using TableStore.Core.Schema;

namespace TableStore.Core.Format;

/// <summary>
/// Estimates a row's in-memory size for memtable limits and file rolling. Runs once per written row, so the
/// fixed-width part is precomputed and only strings and bytes are measured.
/// </summary>
public sealed class RowSizeEstimator
{
    private readonly long _fixed;
    private readonly int[] _variable;

    public RowSizeEstimator(TableSchema schema)
    {
        _fixed = 16 + schema.Fields.Sum(f => f.Type.Kind switch
        {
            DataTypeKind.String or DataTypeKind.Bytes => 4,
            DataTypeKind.Decimal => 16,
            _ => 8,
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
}
