using System.Buffers;
using Parquet;
using TableStore.Core.Manifest;
using TableStore.Core.MergeTree;
using TableStore.Core.Schema;
using PDataField = Parquet.Schema.DataField;

namespace TableStore.Core.Format;

/// <summary>
/// Writes one column of a row group and returns its stats: from boxed rows, or gathered from a typed column (a
/// memtable's) through a list of row positions, without boxing.
/// </summary>
internal static class ColumnWriter
{
    /// <summary>Writes <c>values[rows[i]]</c> (null where <c>nulls[rows[i]]</c>) for a value-type column.</summary>
    public static async Task<ColumnStats> WriteGatheredAsync<T>(ParquetRowGroupWriter rg, PDataField pf, DataField f, T[] values, bool[] nulls,
        ReadOnlyMemory<int> rows, CancellationToken ct) where T : struct, IComparable<T>
    {
        int count = rows.Length;
        var range = new MinMax<T>();
        long nullCount = 0;
        if (!pf.IsNullable)
        {
            var column = ArrayPool<T>.Shared.Rent(count);
            try
            {
                var at = rows.Span;
                for (int i = 0; i < count; i++)
                {
                    int r = at[i];
                    if (nulls[r]) throw NullInNotNull(f);
                    range.Add(column[i] = values[r]);
                }
                await rg.WriteAsync<T>(pf, column.AsMemory(0, count), cancellationToken: ct).ConfigureAwait(false);
            }
            finally { ArrayPool<T>.Shared.Return(column); }
        }
        else
        {
            var column = ArrayPool<T?>.Shared.Rent(count);
            try
            {
                var at = rows.Span;
                for (int i = 0; i < count; i++)
                {
                    int r = at[i];
                    if (nulls[r]) { column[i] = null; nullCount++; }
                    else range.Add((column[i] = values[r]).Value);
                }
                await rg.WriteAsync<T>(pf, column.AsMemory(0, count), cancellationToken: ct).ConfigureAwait(false);
            }
            finally { ArrayPool<T?>.Shared.Return(column); }
        }
        return new ColumnStats(f.Id, range.Min, range.Max, nullCount);
    }

    /// <summary>Writes <c>values[rows[i]]</c> for a string column.</summary>
    public static async Task<ColumnStats> WriteGatheredAsync(ParquetRowGroupWriter rg, PDataField pf, DataField f, string?[] values, ReadOnlyMemory<int> rows, CancellationToken ct)
    {
        int count = rows.Length;
        var column = ArrayPool<string>.Shared.Rent(count);
        string? min = null, max = null;
        long nulls = 0;
        var at = rows.Span;
        for (int i = 0; i < count; i++)
        {
            var s = values[at[i]];
            column[i] = s!;
            if (s is null)
            {
                if (!pf.IsNullable) throw NullInNotNull(f);
                nulls++;
                continue;
            }
            if (min is null || string.CompareOrdinal(s, min) < 0) min = s;
            if (max is null || string.CompareOrdinal(s, max) > 0) max = s;
        }
        try { await rg.WriteAsync(pf, new ArraySegment<string>(column, 0, count)).ConfigureAwait(false); }
        finally { ArrayPool<string>.Shared.Return(column, clearArray: true); }
        return new ColumnStats(f.Id, min, max, nulls);
    }

    /// <summary>Writes <c>values[rows[i]]</c> for a bytes column.</summary>
    public static async Task<ColumnStats> WriteGatheredAsync(ParquetRowGroupWriter rg, PDataField pf, DataField f, byte[]?[] values, ReadOnlyMemory<int> rows, CancellationToken ct)
    {
        var column = new byte[rows.Length][];
        long nulls = 0;
        var at = rows.Span;
        for (int i = 0; i < column.Length; i++)
        {
            var b = values[at[i]];
            if (b is null)
            {
                if (!pf.IsNullable) throw NullInNotNull(f);
                nulls++;
            }
            column[i] = b!;
        }
        await rg.WriteAsync(pf, column).ConfigureAwait(false);
        return new ColumnStats(f.Id, null, null, nulls);
    }

    public static Task<ColumnStats> WriteAsync(ParquetRowGroupWriter rg, PDataField pf, DataField f, int index,
        IReadOnlyList<KeyValue> rows, int offset, int count, CancellationToken ct) => f.Type.Kind switch
        {
            DataTypeKind.Boolean => WriteStruct<bool>(rg, pf, f, index, rows, offset, count, ct),
            DataTypeKind.Int => WriteStruct<int>(rg, pf, f, index, rows, offset, count, ct),
            DataTypeKind.BigInt => WriteStruct<long>(rg, pf, f, index, rows, offset, count, ct),
            DataTypeKind.Float => WriteStruct<float>(rg, pf, f, index, rows, offset, count, ct),
            DataTypeKind.Double => WriteStruct<double>(rg, pf, f, index, rows, offset, count, ct),
            DataTypeKind.Decimal => WriteStruct<decimal>(rg, pf, f, index, rows, offset, count, ct),
            DataTypeKind.Date => WriteStruct<DateOnly>(rg, pf, f, index, rows, offset, count, ct),
            DataTypeKind.Timestamp => WriteStruct<DateTime>(rg, pf, f, index, rows, offset, count, ct),
            DataTypeKind.String => WriteString(rg, pf, f, index, rows, offset, count, ct),
            DataTypeKind.Bytes => WriteBytes(rg, pf, f, index, rows, offset, count, ct),
            _ => throw new ArgumentOutOfRangeException(nameof(f)),
        };

    private static async Task<ColumnStats> WriteStruct<T>(ParquetRowGroupWriter rg, PDataField pf, DataField f, int index,
        IReadOnlyList<KeyValue> rows, int offset, int count, CancellationToken ct) where T : struct, IComparable<T>
    {
        var range = new MinMax<T>();
        long nulls = 0;
        // Pooled: column buffers are large and short-lived, and fresh ones would churn the large object heap.
        if (!pf.IsNullable)
        {
            var values = ArrayPool<T>.Shared.Rent(count);
            try
            {
                for (int i = 0; i < count; i++)
                    range.Add(values[i] = (T)(rows[offset + i].Row[index] ?? throw NullInNotNull(f)));
                await rg.WriteAsync<T>(pf, values.AsMemory(0, count), cancellationToken: ct).ConfigureAwait(false);
            }
            finally { ArrayPool<T>.Shared.Return(values); }
        }
        else
        {
            var values = ArrayPool<T?>.Shared.Rent(count);
            try
            {
                for (int i = 0; i < count; i++)
                {
                    if (rows[offset + i].Row[index] is T t) range.Add((values[i] = t).Value);
                    else { values[i] = null; nulls++; }
                }
                await rg.WriteAsync<T>(pf, values.AsMemory(0, count), cancellationToken: ct).ConfigureAwait(false);
            }
            finally { ArrayPool<T?>.Shared.Return(values); }
        }
        return new ColumnStats(f.Id, range.Min, range.Max, nulls);
    }

    private struct MinMax<T> where T : struct, IComparable<T>
    {
        private bool _any;
        private T _min, _max;

        public void Add(T value)
        {
            if (!_any) { _min = _max = value; _any = true; }
            else if (value.CompareTo(_min) < 0) _min = value;
            else if (value.CompareTo(_max) > 0) _max = value;
        }

        public readonly object? Min => _any ? _min : null;
        public readonly object? Max => _any ? _max : null;
    }

    private static async Task<ColumnStats> WriteString(ParquetRowGroupWriter rg, PDataField pf, DataField f, int index,
        IReadOnlyList<KeyValue> rows, int offset, int count, CancellationToken ct)
    {
        var values = ArrayPool<string>.Shared.Rent(count);
        string? min = null, max = null;
        long nulls = 0;
        for (int i = 0; i < count; i++)
        {
            var s = (string?)rows[offset + i].Row[index];
            if (s is null)
            {
                if (!pf.IsNullable) throw NullInNotNull(f);
                nulls++;
                values[i] = null!;
                continue;
            }
            values[i] = s;
            if (min is null || string.CompareOrdinal(s, min) < 0) min = s;
            if (max is null || string.CompareOrdinal(s, max) > 0) max = s;
        }
        try { await rg.WriteAsync(pf, new ArraySegment<string>(values, 0, count)).ConfigureAwait(false); }
        finally { ArrayPool<string>.Shared.Return(values, clearArray: true); }
        return new ColumnStats(f.Id, min, max, nulls);
    }

    private static async Task<ColumnStats> WriteBytes(ParquetRowGroupWriter rg, PDataField pf, DataField f, int index,
        IReadOnlyList<KeyValue> rows, int offset, int count, CancellationToken ct)
    {
        var values = new byte[count][];
        long nulls = 0;
        for (int i = 0; i < count; i++)
        {
            var b = (byte[]?)rows[offset + i].Row[index];
            if (b is null)
            {
                if (!pf.IsNullable) throw NullInNotNull(f);
                nulls++;
            }
            values[i] = b!;
        }
        await rg.WriteAsync(pf, values).ConfigureAwait(false);
        // Binary min/max would bloat manifests for little pruning value: only null counts are kept.
        return new ColumnStats(f.Id, null, null, nulls);
    }

    // Parquet.Net silently corrupts a file given a null for a required column, so this is checked here
    // even though rows are validated on input.
    private static InvalidOperationException NullInNotNull(DataField f) => new($"Null value for NOT NULL column '{f.Name}' reached the file writer.");
}
