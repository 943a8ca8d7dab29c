using System.Buffers;
using System.Collections.Immutable;
using Microsoft.IO;
using Parquet;
using TableStore.Core.Data;
using TableStore.Core.Diagnostics;
using TableStore.Core.IO;
using TableStore.Core.Manifest;
using TableStore.Core.MergeTree;
using TableStore.Core.Schema;
using TableStore.Core.Table;

namespace TableStore.Core.Format;

/// <summary>
/// Writes one sorted stream of rows of a bucket as Parquet data files that roll at the target size. Rows come in
/// pieces of any size; a row group is encoded whenever <c>parquet.row-group-rows</c> rows are pending, so the writer
/// holds one row group of rows and the encoded file it is building, not its input. A file goes to the store when it
/// is full or at <see cref="CompleteAsync"/>; files of a writer that is disposed without completing stay orphans,
/// invisible until a commit names them and removed by orphan cleaning.
/// </summary>
public sealed class RollingFileWriter : IAsyncDisposable
{
    /// <summary>Strings longer than this get no min/max stats: stats must stay small and exact.</summary>
    private const int MaxStatsStringLength = 64;

    private static readonly RecyclableMemoryStreamManager Streams = new();

    private readonly IObjectStore _store;
    private readonly TablePaths _paths;
    private readonly TableSchema _schema;
    private readonly TimeProvider _time;
    private readonly RowSizeEstimator _estimator;
    private readonly KeyComparer _keys;
    private readonly IReadOnlyList<object?> _partition;
    private readonly int _bucket;
    private readonly int _level;
    private readonly string _prefix;
    private readonly Parquet.Schema.ParquetSchema _parquetSchema;
    private readonly Parquet.Schema.DataField[] _dataFields;
    private readonly ParquetOptions _options;
    private readonly List<KeyValue> _pending = [];
    // Rows of a memtable, by position: encoded straight from its columns.
    private Memtable? _source;
    private readonly List<int> _pendingRows = [];
    private readonly List<DataFileMeta> _written = [];

    // The file being built.
    private string? _name;
    private RecyclableMemoryStream? _buffer;
    private ParquetWriter? _writer;
    private ColumnStats?[] _stats;
    private long _rows, _size, _minSeq, _maxSeq, _deletes;
    private object?[] _minKey = [];
    private object?[]? _lastRow;

    internal RollingFileWriter(IObjectStore store, TablePaths paths, TableSchema schema, TimeProvider time, RowSizeEstimator estimator,
        IReadOnlyList<object?> partition, int bucket, int level, string prefix)
    {
        _store = store;
        _paths = paths;
        _schema = schema;
        _time = time;
        _estimator = estimator;
        _keys = new KeyComparer(schema.SortKeyIndices, schema);
        _partition = partition;
        _bucket = bucket;
        _level = level;
        _prefix = prefix;
        _parquetSchema = ParquetSchemas.ForTable(schema);
        _dataFields = _parquetSchema.GetDataFields();
        _stats = new ColumnStats?[schema.Fields.Length];
        var core = schema.CoreOptions;
        _options = new ParquetOptions
        {
            CompressionMethod = core.Compression switch
            {
                FileCompression.Zstd => CompressionMethod.Zstd,
                FileCompression.Snappy => CompressionMethod.Snappy,
                FileCompression.Gzip => CompressionMethod.Gzip,
                _ => CompressionMethod.None,
            },
            CompressionLevel = core.CompressionLevel,
        };
    }

    /// <summary>Appends rows that follow, in order, the rows appended before.</summary>
    public async ValueTask AddAsync(IReadOnlyList<KeyValue> rows, CancellationToken ct = default)
    {
        for (int i = 0; i < rows.Count; i++)
        {
            _pending.Add(rows[i]);
            await PendedAsync(_estimator.Estimate(rows[i].Row), _pending.Count, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Appends the rows of a memtable at <paramref name="rows"/>, in that order, encoded from its columns without boxing.</summary>
    internal async ValueTask AddAsync(Memtable source, ReadOnlyMemory<int> rows, CancellationToken ct = default)
    {
        if (_pending.Count > 0 || _source is not null && !ReferenceEquals(_source, source))
            throw new InvalidOperationException("The rows of a run come from one source.");
        _source = source;
        for (int i = 0; i < rows.Length; i++)
        {
            int row = rows.Span[i];
            _pendingRows.Add(row);
            await PendedAsync(_estimator.EstimateEncoded(source.VariableLength(row)), _pendingRows.Count, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Encodes the rows still pending from the memtable given to <see cref="AddAsync(Memtable, ReadOnlyMemory{int}, CancellationToken)"/>
    /// (a short row group) and lets go of it, so that the caller may reuse it for the rows that follow.
    /// </summary>
    internal async ValueTask ReleaseSourceAsync(CancellationToken ct = default)
    {
        await WriteGroupAsync(ct).ConfigureAwait(false);
        _source = null;
    }

    /// <summary>
    /// After a row joined the pending ones: the file ends with the row that brings its estimated encoded size to the
    /// target; otherwise a full row group is encoded.
    /// </summary>
    private async ValueTask PendedAsync(long encodedSize, int pending, CancellationToken ct)
    {
        _size += encodedSize;
        if (_size >= _schema.CoreOptions.TargetFileSize)
        {
            await WriteGroupAsync(ct).ConfigureAwait(false);
            await FinishFileAsync(ct).ConfigureAwait(false);
        }
        else if (pending >= _schema.CoreOptions.RowGroupRows) await WriteGroupAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Writes what is pending and returns every file written, in row order.</summary>
    public async Task<List<DataFileMeta>> CompleteAsync(CancellationToken ct = default)
    {
        await WriteGroupAsync(ct).ConfigureAwait(false);
        await FinishFileAsync(ct).ConfigureAwait(false);
        return [.. _written];
    }

    private async Task WriteGroupAsync(CancellationToken ct)
    {
        var source = _source;
        int n = source is null ? _pending.Count : _pendingRows.Count;
        if (n == 0) return;
        // From a memtable, rows are boxed here once per row group at most: the first (the file's min key) and the last.
        object?[] RowAt(int i) => source is null ? _pending[i].Row : source.Version(_pendingRows[i]).Row;
        long Sequence(int i) => source is null ? _pending[i].Sequence : source.Sequence(_pendingRows[i]);
        RowKind Kind(int i) => source is null ? _pending[i].Kind : source.Kind(_pendingRows[i]);
        if (_writer is null)
        {
            _name = TablePaths.NewDataFileName(_prefix);
            // Encoded into pooled memory: a file is megabytes, written once and dropped right after.
            _buffer = Streams.GetStream(_name);
            _writer = await ParquetWriter.CreateAsync(_parquetSchema, _buffer, _options, cancellationToken: ct).ConfigureAwait(false);
            _writer.CustomMetadata = new Dictionary<string, string>
            {
                ["tablestore.schema-id"] = _schema.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            _minSeq = long.MaxValue;
            _maxSeq = long.MinValue;
            if (_keys.KeyLength > 0) _minKey = _keys.ExtractKey(RowAt(0));
        }
        var seq = ArrayPool<long>.Shared.Rent(n);
        var kind = ArrayPool<int>.Shared.Rent(n);
        try
        {
            for (int i = 0; i < n; i++)
            {
                seq[i] = Sequence(i);
                var k = Kind(i);
                kind[i] = (int)k;
                _minSeq = Math.Min(_minSeq, seq[i]);
                _maxSeq = Math.Max(_maxSeq, seq[i]);
                if (k.IsRetract()) _deletes++;
            }
            using var rg = _writer.CreateRowGroup();
            int col = 0;
            if (_schema.Kind == TableKind.PrimaryKey)
            {
                await rg.WriteAsync<long>(_dataFields[col++], seq.AsMemory(0, n), cancellationToken: ct).ConfigureAwait(false);
                await rg.WriteAsync<int>(_dataFields[col++], kind.AsMemory(0, n), cancellationToken: ct).ConfigureAwait(false);
            }
            var positions = source is null ? default : new ReadOnlyMemory<int>(_pendingRows.ToArray());
            for (int f = 0; f < _schema.Fields.Length; f++)
            {
                var s = source is null
                    ? await ColumnWriter.WriteAsync(rg, _dataFields[col++], _schema.Fields[f], f, _pending, 0, n, ct).ConfigureAwait(false)
                    : await source.WriteColumnAsync(f, rg, _dataFields[col++], positions, ct).ConfigureAwait(false);
                _stats[f] = _stats[f] is { } previous ? Combine(previous, s) : s;
            }
        }
        finally
        {
            ArrayPool<long>.Shared.Return(seq);
            ArrayPool<int>.Shared.Return(kind);
        }
        _rows += n;
        _lastRow = RowAt(n - 1);
        _pending.Clear();
        _pendingRows.Clear();
    }

    private async Task FinishFileAsync(CancellationToken ct)
    {
        if (_writer is null) return;
        await _writer.DisposeAsync().ConfigureAwait(false); // writes the footer
        _writer = null;
        var buffer = _buffer!;
        _buffer = null;
        using (buffer)
        {
            var stats = _stats.Select(s => s!.Min is string a && a.Length > MaxStatsStringLength || s.Max is string b && b.Length > MaxStatsStringLength
                ? s with { Min = null, Max = null } : s).ToImmutableArray();
            var maxKey = _keys.KeyLength > 0 ? _keys.ExtractKey(_lastRow!) : [];
            var meta = new DataFileMeta(_name!, buffer.Length, _rows, _minKey, maxKey, _minSeq, _maxSeq, _level, _schema.Id,
                stats, _deletes, _time.GetUtcNow().ToUnixTimeMilliseconds());
            await _store.PutAsync(_paths.DataFile(_schema.PartitionKeys, _partition, _bucket, _name!), buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ct).ConfigureAwait(false);
            _written.Add(meta);
            var table = TableStoreMetrics.Table(_paths.TableName);
            TableStoreMetrics.FilesWritten.Add(1, table);
            TableStoreMetrics.RowsWritten.Add(meta.RowCount, table);
            TableStoreMetrics.BytesWritten.Add(meta.FileSize, table);
        }
        _stats = new ColumnStats?[_schema.Fields.Length];
        _rows = _size = _deletes = 0;
        _minKey = [];
        _lastRow = null;
    }

    private static ColumnStats Combine(ColumnStats a, ColumnStats b) => new(a.FieldId,
        a.Min is null ? b.Min : b.Min is null ? a.Min : Values.Compare(a.Min, b.Min) <= 0 ? a.Min : b.Min,
        a.Max is null ? b.Max : b.Max is null ? a.Max : Values.Compare(a.Max, b.Max) >= 0 ? a.Max : b.Max,
        a.NullCount + b.NullCount);

    /// <summary>Drops a file still being built (the writer was not completed).</summary>
    public async ValueTask DisposeAsync()
    {
        _pending.Clear();
        _pendingRows.Clear();
        _source = null;
        if (_writer is not null)
        {
            try { await _writer.DisposeAsync().ConfigureAwait(false); }
            catch (Exception) { } // the file is dropped anyway
            _writer = null;
        }
        _buffer?.Dispose();
        _buffer = null;
    }
}
