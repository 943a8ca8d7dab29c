using System.Buffers;

namespace TableStore.Core.Format;

/// <summary>A nullable column of a value type.</summary>
public sealed class NullableVector<T>(T?[] values) : ColumnVector where T : struct
{
    public T?[] Values { get; } = values;
    public override object? Get(int row) => Values[row];
    public override void Dispose() => ArrayPool<T?>.Shared.Return(Values);
}
