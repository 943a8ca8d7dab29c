using System.Buffers;

namespace TableStore.Core.Format;

/// <summary>A decoded data file: system columns and the requested user columns (null where not read).</summary>
public sealed class ColumnBatch(int rowCount, long[] sequences, byte[] kinds, ColumnVector?[] columns) : IDisposable
{
    public int RowCount { get; } = rowCount;
    public long[] Sequences { get; } = sequences;
    public byte[] Kinds { get; } = kinds;
    public ColumnVector?[] Columns { get; } = columns;

    public Data.RowKind Kind(int row) => (Data.RowKind)Kinds[row];

    /// <summary>A full-width row with the read columns filled in.</summary>
    public object?[] Row(int row)
    {
        var values = new object?[Columns.Length];
        for (int c = 0; c < values.Length; c++)
            if (Columns[c] is { } v) values[c] = v.Get(row);
        return values;
    }

    private bool _disposed;

    /// <summary>Returns the buffers to the pool, once: a second return would hand one array to two users.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var c in Columns) c?.Dispose();
        ArrayPool<long>.Shared.Return(Sequences);
        ArrayPool<byte>.Shared.Return(Kinds);
    }
}
