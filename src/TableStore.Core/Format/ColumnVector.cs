using System.Buffers;

namespace TableStore.Core.Format;

/// <summary>
/// One decoded column of a data file, kept typed so that merging compares keys without boxing and only the
/// rows that survive the merge are turned into boxed values. Buffers are pooled and returned on dispose.
/// </summary>
public abstract class ColumnVector : IDisposable
{
    public abstract object? Get(int row);
    public abstract void Dispose();
}

/// <summary>A NOT NULL column of a value type.</summary>
public sealed class ValueVector<T>(T[] values) : ColumnVector where T : struct
{
    public T[] Values { get; } = values;
    public override object? Get(int row) => Values[row];
    public override void Dispose() => ArrayPool<T>.Shared.Return(Values);
}

/// <summary>A nullable column of a value type.</summary>
public sealed class NullableVector<T>(T?[] values) : ColumnVector where T : struct
{
    public T?[] Values { get; } = values;
    public override object? Get(int row) => Values[row];
    public override void Dispose() => ArrayPool<T?>.Shared.Return(Values);
}

/// <summary>A column of strings or byte arrays (null where the value is null).</summary>
public sealed class RefVector<T>(T[] values) : ColumnVector where T : class
{
    public T[] Values { get; } = values;
    public override object? Get(int row) => Values[row];
    public override void Dispose() => ArrayPool<T>.Shared.Return(Values, clearArray: true);
}

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
