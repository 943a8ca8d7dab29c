using System.Buffers;
using Parquet;
using TableStore.Core.Schema;
using PDataField = Parquet.Schema.DataField;

namespace TableStore.Core.Format;

internal static class ColumnReader
{
    public static ColumnVector Allocate(DataTypeKind kind, bool nullable, int n) => kind switch
    {
        DataTypeKind.Boolean => Struct<bool>(nullable, n),
        DataTypeKind.Int => Struct<int>(nullable, n),
        DataTypeKind.BigInt => Struct<long>(nullable, n),
        DataTypeKind.Float => Struct<float>(nullable, n),
        DataTypeKind.Double => Struct<double>(nullable, n),
        DataTypeKind.Decimal => Struct<decimal>(nullable, n),
        DataTypeKind.Date => Struct<DateOnly>(nullable, n),
        DataTypeKind.Timestamp => Struct<DateTime>(nullable, n),
        DataTypeKind.String => new RefVector<string>(ArrayPool<string>.Shared.Rent(n)),
        DataTypeKind.Bytes => new RefVector<byte[]>(ArrayPool<byte[]>.Shared.Rent(n)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>A widened copy (INT→BIGINT, FLOAT→DOUBLE) of a decoded column; the source goes back to the pool.</summary>
    public static ColumnVector Widen(ColumnVector v, DataTypeKind to, int n)
    {
        ColumnVector result = (v, to) switch
        {
            (ValueVector<int> s, DataTypeKind.BigInt) => Convert(s.Values, n, x => (long)x),
            (NullableVector<int> s, DataTypeKind.BigInt) => ConvertNullable(s.Values, n, x => (long)x),
            (ValueVector<float> s, DataTypeKind.Double) => Convert(s.Values, n, x => (double)x),
            (NullableVector<float> s, DataTypeKind.Double) => ConvertNullable(s.Values, n, x => (double)x),
            _ => throw new CorruptFileException($"A column stored as {v.GetType().Name} cannot be read as {to}."),
        };
        v.Dispose();
        return result;
    }

    private static ValueVector<TOut> Convert<TIn, TOut>(TIn[] values, int n, Func<TIn, TOut> f) where TIn : struct where TOut : struct
    {
        var target = ArrayPool<TOut>.Shared.Rent(n);
        for (int i = 0; i < n; i++) target[i] = f(values[i]);
        return new ValueVector<TOut>(target);
    }

    private static NullableVector<TOut> ConvertNullable<TIn, TOut>(TIn?[] values, int n, Func<TIn, TOut> f) where TIn : struct where TOut : struct
    {
        var target = ArrayPool<TOut?>.Shared.Rent(n);
        for (int i = 0; i < n; i++) target[i] = values[i] is { } x ? f(x) : null;
        return new NullableVector<TOut>(target);
    }

    private static ColumnVector Struct<T>(bool nullable, int n) where T : struct =>
        nullable ? new NullableVector<T>(ArrayPool<T?>.Shared.Rent(n)) : new ValueVector<T>(ArrayPool<T>.Shared.Rent(n));

    public static async ValueTask ReadAsync(ParquetRowGroupReader rg, PDataField pf, ColumnVector vector, int offset, int n, CancellationToken ct)
    {
        switch (vector)
        {
            case ValueVector<bool> v: await rg.ReadAsync<bool>(pf, v.Values.AsMemory(offset, n), cancellationToken: ct).ConfigureAwait(false); break;
            case NullableVector<bool> v: await rg.ReadAsync<bool>(pf, v.Values.AsMemory(offset, n), cancellationToken: ct).ConfigureAwait(false); break;
            case ValueVector<int> v: await rg.ReadAsync<int>(pf, v.Values.AsMemory(offset, n), cancellationToken: ct).ConfigureAwait(false); break;
            case NullableVector<int> v: await rg.ReadAsync<int>(pf, v.Values.AsMemory(offset, n), cancellationToken: ct).ConfigureAwait(false); break;
            case ValueVector<long> v: await rg.ReadAsync<long>(pf, v.Values.AsMemory(offset, n), cancellationToken: ct).ConfigureAwait(false); break;
            case NullableVector<long> v: await rg.ReadAsync<long>(pf, v.Values.AsMemory(offset, n), cancellationToken: ct).ConfigureAwait(false); break;
            case ValueVector<float> v: await rg.ReadAsync<float>(pf, v.Values.AsMemory(offset, n), cancellationToken: ct).ConfigureAwait(false); break;
            case NullableVector<float> v: await rg.ReadAsync<float>(pf, v.Values.AsMemory(offset, n), cancellationToken: ct).ConfigureAwait(false); break;
            case ValueVector<double> v: await rg.ReadAsync<double>(pf, v.Values.AsMemory(offset, n), cancellationToken: ct).ConfigureAwait(false); break;
            case NullableVector<double> v: await rg.ReadAsync<double>(pf, v.Values.AsMemory(offset, n), cancellationToken: ct).ConfigureAwait(false); break;
            case ValueVector<decimal> v: await rg.ReadAsync<decimal>(pf, v.Values.AsMemory(offset, n), cancellationToken: ct).ConfigureAwait(false); break;
            case NullableVector<decimal> v: await rg.ReadAsync<decimal>(pf, v.Values.AsMemory(offset, n), cancellationToken: ct).ConfigureAwait(false); break;
            case ValueVector<DateOnly> v: await rg.ReadAsync<DateOnly>(pf, v.Values.AsMemory(offset, n), cancellationToken: ct).ConfigureAwait(false); break;
            case NullableVector<DateOnly> v: await rg.ReadAsync<DateOnly>(pf, v.Values.AsMemory(offset, n), cancellationToken: ct).ConfigureAwait(false); break;
            case ValueVector<DateTime> v:
                await rg.ReadAsync<DateTime>(pf, v.Values.AsMemory(offset, n), cancellationToken: ct).ConfigureAwait(false);
                for (int i = offset; i < offset + n; i++) v.Values[i] = DateTime.SpecifyKind(v.Values[i], DateTimeKind.Utc);
                break;
            case NullableVector<DateTime> v:
                await rg.ReadAsync<DateTime>(pf, v.Values.AsMemory(offset, n), cancellationToken: ct).ConfigureAwait(false);
                for (int i = offset; i < offset + n; i++) if (v.Values[i] is { } t) v.Values[i] = DateTime.SpecifyKind(t, DateTimeKind.Utc);
                break;
            case RefVector<string> v: await rg.ReadAsync(pf, v.Values.AsMemory(offset, n)!, cancellationToken: ct).ConfigureAwait(false); break;
            case RefVector<byte[]> v: await rg.ReadAsync(pf, v.Values.AsMemory(offset, n)!, cancellationToken: ct).ConfigureAwait(false); break;
            default: throw new InvalidOperationException($"No reader for {vector.GetType().Name}.");
        }
    }
}
