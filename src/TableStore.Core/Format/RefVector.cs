using System.Buffers;

namespace TableStore.Core.Format;

/// <summary>A column of strings or byte arrays (null where the value is null).</summary>
public sealed class RefVector<T>(T[] values) : ColumnVector where T : class
{
    public T[] Values { get; } = values;
    public override object? Get(int row) => Values[row];
    public override void Dispose() => ArrayPool<T>.Shared.Return(Values, clearArray: true);
}
