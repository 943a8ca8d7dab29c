using System.Buffers;
using Parquet;
using TableStore.Core.Data;
using TableStore.Core.IO;
using TableStore.Core.Manifest;
using TableStore.Core.MergeTree;
using TableStore.Core.Schema;
using TableStore.Core.Utils;
using PDataField = Parquet.Schema.DataField;

namespace TableStore.Core.Format;

/// <summary>
/// Reads a data file into rows laid out in the current schema. Columns are matched by field id through the
/// schema the file was written with, so renamed columns still read and added columns read as null. Only
/// the requested columns are decoded.
/// </summary>
public sealed class DataFileReader(IObjectStore store, TablePaths paths, TableSchema current, SchemaManager schemas)
{
    private static readonly ParquetOptions ReadOptions = new() { UseDateOnlyTypeForDates = true };

    /// <summary>Whether the files are behind a network round trip (a store that reads in ranges): worth fetching several at once.</summary>
    public bool IsRemote => store.RangeReadBlockSize is not null;

    /// <summary>Decodes the file into typed column vectors; the caller disposes the batch.</summary>
    /// <param name="needed">Per field of the current schema, whether to decode it; null means all.</param>
    public async Task<ColumnBatch> ReadBatchAsync(IReadOnlyList<object?> partition, int bucket, DataFileMeta file, bool[]? needed, CancellationToken ct = default)
    {
        var path = paths.DataFile(current.PartitionKeys, partition, bucket, file.FileName);
        CorruptFileException Missing() => new($"Data file '{path}' named by the manifest is missing: the snapshot may have expired or the table is damaged.");
        Stream stream;
        try { stream = await store.OpenRandomAccessAsync(path, file.FileSize, ct).ConfigureAwait(false); }
        catch (ObjectNotFoundException) { throw Missing(); }
        try
        {
            await using (stream.ConfigureAwait(false))
                return await DecodeAsync(stream, file, needed, ct).ConfigureAwait(false);
        }
        catch (ObjectNotFoundException) { throw Missing(); } // a store that reads in ranges finds it missing at the first read
        catch (Exception e) when (e is not OperationCanceledException and not TableStoreException and not RangeReadException)
        {
            throw new CorruptFileException($"Data file '{path}' cannot be read as Parquet: {e.Message}", e);
        }
    }

    private async Task<ColumnBatch> DecodeAsync(Stream stream, DataFileMeta file, bool[]? needed, CancellationToken ct)
    {
        var fileSchema = await schemas.GetAsync(file.SchemaId, ct).ConfigureAwait(false);
        await using var reader = await ParquetReader.CreateAsync(stream, ReadOptions, cancellationToken: ct).ConfigureAwait(false);
        int total = checked((int)file.RowCount);
        int width = current.Fields.Length;
        var sequences = ArrayPool<long>.Shared.Rent(total);
        var kinds = ArrayPool<byte>.Shared.Rent(total);
        var columns = new ColumnVector?[width];
        var batch = new ColumnBatch(total, sequences, kinds, columns);
        try
        {
            var sources = new PDataField?[width];
            for (int f = 0; f < width; f++)
            {
                if (needed is not null && !needed[f]) continue;
                var fileField = fileSchema.Fields.FirstOrDefault(x => x.Id == current.Fields[f].Id);
                if (fileField is null) continue; // added after this file was written: null
                sources[f] = reader.Schema.FindDataField(fileField.Name)
                    ?? throw new CorruptFileException($"Data file '{file.FileName}' lacks column '{fileField.Name}'.");
                // Decoded as written; a column widened since (INT→BIGINT, FLOAT→DOUBLE) converts after reading.
                columns[f] = ColumnReader.Allocate(fileField.Type.Kind, sources[f]!.IsNullable, total);
            }
            bool pk = current.Kind == TableKind.PrimaryKey;
            var seqField = pk ? reader.Schema.FindDataField(SystemColumns.SequenceNumber) : null;
            var kindField = pk ? reader.Schema.FindDataField(SystemColumns.ValueKind) : null;
            int row = 0;
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                using var rg = reader.OpenRowGroupReader(g);
                int n = checked((int)rg.RowCount);
                if (row + n > total) throw new CorruptFileException($"Data file '{file.FileName}' has more rows than its meta says ({file.RowCount}).");
                for (int f = 0; f < width; f++)
                    if (sources[f] is { } pf) await ColumnReader.ReadAsync(rg, pf, columns[f]!, row, n, ct).ConfigureAwait(false);
                if (pk)
                {
                    await rg.ReadAsync<long>(seqField!, sequences.AsMemory(row, n), cancellationToken: ct).ConfigureAwait(false);
                    var k = ArrayPool<int>.Shared.Rent(n);
                    try
                    {
                        await rg.ReadAsync<int>(kindField!, k.AsMemory(0, n), cancellationToken: ct).ConfigureAwait(false);
                        for (int i = 0; i < n; i++) kinds[row + i] = (byte)RowKindExtensions.FromByte((byte)k[i]);
                    }
                    finally { ArrayPool<int>.Shared.Return(k); }
                }
                else
                {
                    for (int i = 0; i < n; i++) { sequences[row + i] = file.MinSequence + row + i; kinds[row + i] = (byte)RowKind.Insert; }
                }
                row += n;
            }
            if (row != total) throw new CorruptFileException($"Data file '{file.FileName}' has {row} rows, its meta says {file.RowCount}.");
            for (int f = 0; f < width; f++)
                if (columns[f] is { } v && ColumnReader.KindOf(v) is { } kind && kind != current.Fields[f].Type.Kind)
                    columns[f] = ColumnReader.Widen(v, current.Fields[f].Type.Kind, total);
            return batch;
        }
        catch
        {
            batch.Dispose();
            throw;
        }
    }
}

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

    public static DataTypeKind? KindOf(ColumnVector v) => v switch
    {
        ValueVector<int> or NullableVector<int> => DataTypeKind.Int,
        ValueVector<float> or NullableVector<float> => DataTypeKind.Float,
        _ => null, // kinds that are never widened from
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
            _ => throw new CorruptFileException($"A {KindOf(v)} column cannot be read as {to}."),
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
