using System.Buffers;
using Parquet;
using TableStore.Core.Data;
using TableStore.Core.IO;
using TableStore.Core.Manifest;
using TableStore.Core.Schema;
using PDataField = Parquet.Schema.DataField;
using TableStore.Core.Table;

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
