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
/// Writes sorted rows of one bucket as Parquet data files, rolling to a new file at the target size, and
/// returns each file's meta (row count, key range, sequence range, column stats). Primary-key files carry
/// <c>_SEQUENCE_NUMBER</c> and <c>_VALUE_KIND</c> first, then the user columns.
/// </summary>
public sealed class DataFileWriter(IObjectStore store, TablePaths paths, TableSchema schema, TimeProvider time)
{
    /// <summary>Strings longer than this get no min/max stats: stats must stay small and exact.</summary>
    private const int MaxStatsStringLength = 64;

    private readonly KeyComparer _keys = new(schema.SortKeyIndices, schema);
    private readonly CoreOptions _options = schema.CoreOptions;

    public RowSizeEstimator Estimator { get; } = new(schema);

    /// <param name="prefix">File name prefix: <see cref="TablePaths.DataFilePrefix"/>, or <see cref="TablePaths.ChangelogFilePrefix"/> for
    /// changelog files (rows in the order given, not sorted; their key range means nothing).</param>
    public async Task<List<DataFileMeta>> WriteAsync(IReadOnlyList<object?> partition, int bucket, IReadOnlyList<KeyValue> rows, int level,
        string prefix = TablePaths.DataFilePrefix, CancellationToken ct = default)
    {
        var files = new List<DataFileMeta>();
        int start = 0;
        while (start < rows.Count)
        {
            int end = RollPoint(rows, start);
            var name = TablePaths.NewDataFileName(prefix);
            // Encoded into pooled memory: a file is megabytes, written once and dropped right after.
            using var buffer = Streams.GetStream(name);
            var meta = await EncodeAsync(name, rows, start, end - start, level, buffer, ct).ConfigureAwait(false);
            await store.PutAsync(paths.DataFile(schema.PartitionKeys, partition, bucket, name), buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ct).ConfigureAwait(false);
            files.Add(meta);
            start = end;
            var table = TableStoreMetrics.Table(paths.TableName);
            TableStoreMetrics.FilesWritten.Add(1, table);
            TableStoreMetrics.RowsWritten.Add(meta.RowCount, table);
            TableStoreMetrics.BytesWritten.Add(meta.FileSize, table);
        }
        return files;
    }

    /// <summary>End (exclusive) of the file starting at <paramref name="start"/>: the target size, estimated uncompressed.</summary>
    private int RollPoint(IReadOnlyList<KeyValue> rows, int start)
    {
        long budget = _options.TargetFileSize;
        long size = 0;
        int i = start;
        while (i < rows.Count && size < budget)
        {
            size += Estimator.Estimate(rows[i].Row);
            i++;
        }
        return i;
    }

    private static readonly RecyclableMemoryStreamManager Streams = new();

    /// <summary>Encodes rows [offset, offset+count) as one Parquet file into <paramref name="output"/>; returns its meta.</summary>
    internal async Task<DataFileMeta> EncodeAsync(string name, IReadOnlyList<KeyValue> rows, int offset, int count, int level, Stream output, CancellationToken ct)
    {
        var parquetSchema = ParquetSchemas.ForTable(schema);
        var dataFields = parquetSchema.GetDataFields();
        var options = new ParquetOptions
        {
            CompressionMethod = _options.Compression switch
            {
                FileCompression.Zstd => CompressionMethod.Zstd,
                FileCompression.Snappy => CompressionMethod.Snappy,
                FileCompression.Gzip => CompressionMethod.Gzip,
                _ => CompressionMethod.None,
            },
            CompressionLevel = _options.CompressionLevel,
        };
        var stats = new ColumnStats[schema.Fields.Length];
        long minSeq = long.MaxValue, maxSeq = long.MinValue, deletes = 0;
        for (int i = offset; i < offset + count; i++)
        {
            minSeq = Math.Min(minSeq, rows[i].Sequence);
            maxSeq = Math.Max(maxSeq, rows[i].Sequence);
            if (rows[i].Kind.IsRetract()) deletes++;
        }

        await using (var writer = await ParquetWriter.CreateAsync(parquetSchema, output, options, cancellationToken: ct).ConfigureAwait(false))
        {
            writer.CustomMetadata = new Dictionary<string, string>
            {
                ["tablestore.schema-id"] = schema.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            int groupRows = _options.RowGroupRows;
            for (int g = offset; g < offset + count; g += groupRows)
            {
                int n = Math.Min(groupRows, offset + count - g);
                using var rg = writer.CreateRowGroup();
                int col = 0;
                if (schema.Kind == TableKind.PrimaryKey)
                {
                    var seq = ArrayPool<long>.Shared.Rent(n);
                    var kind = ArrayPool<int>.Shared.Rent(n);
                    try
                    {
                        for (int i = 0; i < n; i++) { seq[i] = rows[g + i].Sequence; kind[i] = (int)rows[g + i].Kind; }
                        await rg.WriteAsync<long>(dataFields[col++], seq.AsMemory(0, n), cancellationToken: ct).ConfigureAwait(false);
                        await rg.WriteAsync<int>(dataFields[col++], kind.AsMemory(0, n), cancellationToken: ct).ConfigureAwait(false);
                    }
                    finally
                    {
                        ArrayPool<long>.Shared.Return(seq);
                        ArrayPool<int>.Shared.Return(kind);
                    }
                }
                for (int f = 0; f < schema.Fields.Length; f++)
                {
                    var s = await ColumnWriter.WriteAsync(rg, dataFields[col++], schema.Fields[f], f, rows, g, n, ct).ConfigureAwait(false);
                    stats[f] = stats[f] is null ? s : Combine(stats[f], s);
                }
            }
        }
        var finalStats = stats.Select(s => s.Min is string a && a.Length > MaxStatsStringLength || s.Max is string b && b.Length > MaxStatsStringLength
            ? s with { Min = null, Max = null } : s).ToImmutableArray();
        object?[] minKey = [], maxKey = [];
        if (_keys.KeyLength > 0 && count > 0)
        {
            minKey = _keys.ExtractKey(rows[offset].Row);
            maxKey = _keys.ExtractKey(rows[offset + count - 1].Row);
        }
        return new DataFileMeta(name, output.Length, count, minKey, maxKey, minSeq, maxSeq, level, schema.Id,
            finalStats, deletes, time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    private static ColumnStats Combine(ColumnStats a, ColumnStats b) => new(a.FieldId,
        a.Min is null ? b.Min : b.Min is null ? a.Min : Data.Values.Compare(a.Min, b.Min) <= 0 ? a.Min : b.Min,
        a.Max is null ? b.Max : b.Max is null ? a.Max : Data.Values.Compare(a.Max, b.Max) >= 0 ? a.Max : b.Max,
        a.NullCount + b.NullCount);
}
