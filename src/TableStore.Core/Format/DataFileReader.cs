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

    /// <param name="needed">Per field of the current schema, whether to decode it; null means all.</param>
    public async Task<KeyValue[]> ReadAsync(IReadOnlyList<object?> partition, int bucket, DataFileMeta file, bool[]? needed, CancellationToken ct = default)
    {
        var path = paths.DataFile(current.PartitionKeys, partition, bucket, file.FileName);
        byte[] bytes;
        try { bytes = await store.GetAsync(path, ct).ConfigureAwait(false); }
        catch (ObjectNotFoundException)
        {
            throw new CorruptFileException($"Data file '{path}' named by the manifest is missing: the snapshot may have expired or the table is damaged.");
        }
        try
        {
            return await DecodeAsync(bytes, file, needed, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not TableStoreException)
        {
            throw new CorruptFileException($"Data file '{path}' cannot be read as Parquet: {e.Message}", e);
        }
    }

    private async Task<KeyValue[]> DecodeAsync(byte[] bytes, DataFileMeta file, bool[]? needed, CancellationToken ct)
    {
        var fileSchema = await schemas.GetAsync(file.SchemaId, ct).ConfigureAwait(false);
        using var ms = new MemoryStream(bytes, writable: false);
        await using var reader = await ParquetReader.CreateAsync(ms, ReadOptions, cancellationToken: ct).ConfigureAwait(false);
        var result = new KeyValue[file.RowCount];
        int width = current.Fields.Length;
        int row = 0;
        bool pk = current.Kind == TableKind.PrimaryKey;
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var rg = reader.OpenRowGroupReader(g);
            int n = checked((int)rg.RowCount);
            if (row + n > result.Length) throw new CorruptFileException($"Data file '{file.FileName}' has more rows than its meta says ({file.RowCount}).");
            var rows = new object?[n][];
            for (int i = 0; i < n; i++) rows[i] = new object?[width];

            for (int f = 0; f < width; f++)
            {
                if (needed is not null && !needed[f]) continue;
                var field = current.Fields[f];
                var fileField = fileSchema.Fields.FirstOrDefault(x => x.Id == field.Id);
                if (fileField is null) continue; // added after this file was written: null
                var pf = reader.Schema.FindDataField(fileField.Name)
                    ?? throw new CorruptFileException($"Data file '{file.FileName}' lacks column '{fileField.Name}'.");
                await ColumnReader.ReadAsync(rg, pf, field.Type.Kind, rows, f, n, ct).ConfigureAwait(false);
            }

            if (pk)
            {
                var seq = new long[n];
                var kind = new int[n];
                await rg.ReadAsync<long>(reader.Schema.FindDataField(SystemColumns.SequenceNumber), seq, cancellationToken: ct).ConfigureAwait(false);
                await rg.ReadAsync<int>(reader.Schema.FindDataField(SystemColumns.ValueKind), kind, cancellationToken: ct).ConfigureAwait(false);
                for (int i = 0; i < n; i++) result[row + i] = new KeyValue(rows[i], seq[i], RowKindExtensions.FromByte((byte)kind[i]));
            }
            else
            {
                for (int i = 0; i < n; i++) result[row + i] = new KeyValue(rows[i], file.MinSequence + row + i, RowKind.Insert);
            }
            row += n;
        }
        if (row != result.Length) throw new CorruptFileException($"Data file '{file.FileName}' has {row} rows, its meta says {file.RowCount}.");
        return result;
    }
}

internal static class ColumnReader
{
    public static ValueTask ReadAsync(ParquetRowGroupReader rg, PDataField pf, DataTypeKind kind, object?[][] rows, int index, int n, CancellationToken ct) => kind switch
    {
        DataTypeKind.Boolean => ReadStruct<bool>(rg, pf, rows, index, n, ct),
        DataTypeKind.Int => ReadStruct<int>(rg, pf, rows, index, n, ct),
        DataTypeKind.BigInt => ReadStruct<long>(rg, pf, rows, index, n, ct),
        DataTypeKind.Float => ReadStruct<float>(rg, pf, rows, index, n, ct),
        DataTypeKind.Double => ReadStruct<double>(rg, pf, rows, index, n, ct),
        DataTypeKind.Decimal => ReadStruct<decimal>(rg, pf, rows, index, n, ct),
        DataTypeKind.Date => ReadStruct<DateOnly>(rg, pf, rows, index, n, ct),
        DataTypeKind.Timestamp => ReadTimestamp(rg, pf, rows, index, n, ct),
        DataTypeKind.String => ReadString(rg, pf, rows, index, n, ct),
        DataTypeKind.Bytes => ReadBytes(rg, pf, rows, index, n, ct),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static async ValueTask ReadStruct<T>(ParquetRowGroupReader rg, PDataField pf, object?[][] rows, int index, int n, CancellationToken ct) where T : struct
    {
        if (!pf.IsNullable)
        {
            var values = new T[n];
            await rg.ReadAsync<T>(pf, values, cancellationToken: ct).ConfigureAwait(false);
            for (int i = 0; i < n; i++) rows[i][index] = values[i];
        }
        else
        {
            var values = new T?[n];
            await rg.ReadAsync<T>(pf, values, cancellationToken: ct).ConfigureAwait(false);
            for (int i = 0; i < n; i++) rows[i][index] = values[i];
        }
    }

    private static async ValueTask ReadTimestamp(ParquetRowGroupReader rg, PDataField pf, object?[][] rows, int index, int n, CancellationToken ct)
    {
        await ReadStruct<DateTime>(rg, pf, rows, index, n, ct).ConfigureAwait(false);
        for (int i = 0; i < n; i++)
            if (rows[i][index] is DateTime t && t.Kind != DateTimeKind.Utc) rows[i][index] = DateTime.SpecifyKind(t, DateTimeKind.Utc);
    }

    private static async ValueTask ReadString(ParquetRowGroupReader rg, PDataField pf, object?[][] rows, int index, int n, CancellationToken ct)
    {
        var values = new string[n];
        await rg.ReadAsync(pf, values, cancellationToken: ct).ConfigureAwait(false);
        for (int i = 0; i < n; i++) rows[i][index] = values[i];
    }

    private static async ValueTask ReadBytes(ParquetRowGroupReader rg, PDataField pf, object?[][] rows, int index, int n, CancellationToken ct)
    {
        var values = new byte[n][];
        await rg.ReadAsync(pf, values, cancellationToken: ct).ConfigureAwait(false);
        for (int i = 0; i < n; i++) rows[i][index] = values[i];
    }
}
