using System.Buffers;

namespace TableStore.Core.Format;

/// <summary>A NOT NULL column of a value type.</summary>
public sealed class ValueVector<T>(T[] values) : ColumnVector where T : struct
{
    public T[] Values { get; } = values;
    public override object? Get(int row) => Values[row];
    public override void Dispose() => ArrayPool<T>.Shared.Return(Values);
}
