using System.Buffers;
using Parquet;
using TableStore.Core.Data;
using TableStore.Core.Manifest;
using TableStore.Core.Schema;
using PDataField = Parquet.Schema.DataField;

namespace TableStore.Core.Format;

/// <summary>
/// An open data file decoded one row group at a time into column batches laid out in the current schema. With
/// <c>readAhead</c> the next row group (the first one from the moment the file is opened) is decoded on the thread pool
/// while the caller works on the current one, so a merge overlaps fetching and decompression with comparing keys, and
/// the files of a merge decode their first row groups together, at the cost of one more row group in memory.
/// </summary>
public sealed class DataFileCursor : IBatchSource
{
    private readonly Stream _stream;
    private readonly ParquetReader _reader;
    private readonly DataFileMeta _file;
    private readonly string _path;
    private readonly TableSchema _current;
    private readonly PDataField?[] _sources;
    private readonly DataTypeKind[] _writtenKinds;
    private readonly PDataField? _sequenceField;
    private readonly PDataField? _kindField;
    private readonly bool _readAhead;
    private int _group;
    private long _row;
    private Task<ColumnBatch?>? _next;

    private DataFileCursor(Stream stream, ParquetReader reader, string path, DataFileMeta file, TableSchema current, TableSchema written, bool[]? needed, bool readAhead)
    {
        _stream = stream;
        _reader = reader;
        _path = path;
        _file = file;
        _current = current;
        _readAhead = readAhead;
        int width = current.Fields.Length;
        _sources = new PDataField?[width];
        _writtenKinds = new DataTypeKind[width];
        for (int f = 0; f < width; f++)
        {
            if (needed is not null && !needed[f]) continue;
            var fileField = written.Fields.FirstOrDefault(x => x.Id == current.Fields[f].Id);
            if (fileField is null) continue; // added after this file was written: null
            _sources[f] = reader.Schema.FindDataField(fileField.Name)
                ?? throw new CorruptFileException($"Data file '{path}' lacks column '{fileField.Name}'.");
            _writtenKinds[f] = fileField.Type.Kind;
        }
        if (current.Kind == TableKind.PrimaryKey)
        {
            _sequenceField = reader.Schema.FindDataField(SystemColumns.SequenceNumber)
                ?? throw new CorruptFileException($"Data file '{path}' of a primary-key table lacks column '{SystemColumns.SequenceNumber}'.");
            _kindField = reader.Schema.FindDataField(SystemColumns.ValueKind)
                ?? throw new CorruptFileException($"Data file '{path}' of a primary-key table lacks column '{SystemColumns.ValueKind}'.");
        }
    }

    private static readonly ParquetOptions ReadOptions = new() { UseDateOnlyTypeForDates = true };

    /// <summary>Reads the file's footer; the stream is the cursor's from here on.</summary>
    internal static async Task<DataFileCursor> OpenAsync(Stream stream, string path, DataFileMeta file, TableSchema current, TableSchema written,
        bool[]? needed, bool readAhead, CancellationToken ct)
    {
        var reader = await ParquetReader.CreateAsync(stream, ReadOptions, cancellationToken: ct).ConfigureAwait(false);
        try
        {
            var cursor = new DataFileCursor(stream, reader, path, file, current, written, needed, readAhead);
            if (readAhead && reader.RowGroupCount > 0) cursor._next = Task.Run(() => cursor.DecodeAsync(1, ct), ct);
            return cursor;
        }
        catch
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask<ColumnBatch?> NextAsync(CancellationToken ct = default)
    {
        var batch = _next is { } pending ? await pending.ConfigureAwait(false) : await DecodeAsync(_group < _reader.RowGroupCount ? 1 : 0, ct).ConfigureAwait(false);
        _next = null;
        if (batch is not null && _readAhead && _group < _reader.RowGroupCount)
            _next = Task.Run(() => DecodeAsync(1, ct), ct);
        return batch;
    }

    /// <summary>Every remaining row group as one batch (a lookup's or a change reader's whole file).</summary>
    internal Task<ColumnBatch?> ReadRestAsync(CancellationToken ct) => DecodeAsync(_reader.RowGroupCount - _group, ct);

    /// <summary>Decodes the next <paramref name="groups"/> row groups into one batch; null at the end of the file.</summary>
    private async Task<ColumnBatch?> DecodeAsync(int groups, CancellationToken ct)
    {
        try { return await DecodeGroupsAsync(groups, ct).ConfigureAwait(false); }
        catch (Exception e) when (DataFileReader.Unreadable(e, _path) is { } translated) { throw translated; }
    }

    private async Task<ColumnBatch?> DecodeGroupsAsync(int groups, CancellationToken ct)
    {
        if (groups <= 0)
        {
            if (_row != _file.RowCount) throw new CorruptFileException($"Data file '{_path}' has {_row} rows, its meta says {_file.RowCount}.");
            return null;
        }
        long rows = 0;
        for (int g = _group; g < _group + groups; g++) rows += _reader.RowGroups[g].RowCount;
        if (_row + rows > _file.RowCount) throw new CorruptFileException($"Data file '{_path}' has more rows than its meta says ({_file.RowCount}).");
        int total = checked((int)rows);
        int width = _current.Fields.Length;
        var batch = new ColumnBatch(total, ArrayPool<long>.Shared.Rent(total), ArrayPool<byte>.Shared.Rent(total), new ColumnVector?[width]);
        var columns = batch.Columns;
        try
        {
            for (int f = 0; f < width; f++)
                if (_sources[f] is { } pf) columns[f] = ColumnReader.Allocate(_writtenKinds[f], pf.IsNullable, total);
            int offset = 0;
            for (int end = _group + groups; _group < end; _group++)
            {
                using var rg = _reader.OpenRowGroupReader(_group);
                int n = checked((int)rg.RowCount);
                for (int f = 0; f < width; f++)
                    if (_sources[f] is { } pf) await ColumnReader.ReadAsync(rg, pf, columns[f]!, offset, n, ct).ConfigureAwait(false);
                if (_sequenceField is not null)
                {
                    await rg.ReadAsync<long>(_sequenceField, batch.Sequences.AsMemory(offset, n), cancellationToken: ct).ConfigureAwait(false);
                    var k = ArrayPool<int>.Shared.Rent(n);
                    try
                    {
                        await rg.ReadAsync<int>(_kindField!, k.AsMemory(0, n), cancellationToken: ct).ConfigureAwait(false);
                        for (int i = 0; i < n; i++) batch.Kinds[offset + i] = (byte)RowKindExtensions.FromByte((byte)k[i]);
                    }
                    finally { ArrayPool<int>.Shared.Return(k); }
                }
                else
                {
                    // Append-only files store no sequences: row i of the file has minSequence + i.
                    for (int i = 0; i < n; i++) { batch.Sequences[offset + i] = _file.MinSequence + _row + offset + i; batch.Kinds[offset + i] = (byte)RowKind.Insert; }
                }
                offset += n;
            }
            _row += total;
            // Decoded as written; a column widened since (INT→BIGINT, FLOAT→DOUBLE) converts after reading.
            for (int f = 0; f < width; f++)
                if (columns[f] is { } v && _writtenKinds[f] != _current.Fields[f].Type.Kind)
                    columns[f] = ColumnReader.Widen(v, _current.Fields[f].Type.Kind, total);
            return batch;
        }
        catch
        {
            batch.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // A read-ahead still running owns the reader: let it finish before the reader and stream go.
        if (_next is { } pending)
        {
            _next = null;
            try { (await pending.ConfigureAwait(false))?.Dispose(); }
            catch (Exception) { } // its failure no longer matters to a reader being closed
        }
        await _reader.DisposeAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}
