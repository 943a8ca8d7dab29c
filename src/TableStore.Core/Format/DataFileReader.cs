using TableStore.Core.IO;
using TableStore.Core.Manifest;
using TableStore.Core.Schema;
using TableStore.Core.Table;

namespace TableStore.Core.Format;

/// <summary>
/// Reads data files into column batches laid out in the current schema, whole or a row group at a time. Columns are
/// matched by field id through the schema the file was written with, so renamed columns still read and added columns
/// read as null. Only the requested columns are decoded.
/// </summary>
public sealed class DataFileReader(IObjectStore store, TablePaths paths, TableSchema current, SchemaManager schemas)
{
    /// <summary>Whether the files are behind a network round trip (a store that reads in ranges): worth fetching several at once.</summary>
    public bool IsRemote => store.RangeReadBlockSize is not null;

    /// <summary>
    /// Opens a data file to read a row group at a time; the caller disposes the cursor.
    /// </summary>
    /// <param name="needed">Per field of the current schema, whether to decode it; null means all.</param>
    /// <param name="readAhead">Decode the next row group on the thread pool while the caller works on the current one.</param>
    public async Task<DataFileCursor> OpenAsync(IReadOnlyList<object?> partition, int bucket, DataFileMeta file, bool[]? needed, bool readAhead = false, CancellationToken ct = default)
    {
        var path = paths.DataFile(current.PartitionKeys, partition, bucket, file.FileName);
        var written = await schemas.GetAsync(file.SchemaId, ct).ConfigureAwait(false);
        Stream stream;
        try { stream = await store.OpenRandomAccessAsync(path, file.FileSize, ct).ConfigureAwait(false); }
        catch (ObjectNotFoundException e) { throw Unreadable(e, path)!; }
        try { return await DataFileCursor.OpenAsync(stream, path, file, current, written, needed, readAhead, ct).ConfigureAwait(false); }
        catch (Exception e)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            if (Unreadable(e, path) is { } translated) throw translated;
            throw;
        }
    }

    /// <summary>Files opened at once from a remote store (S3, Azure).</summary>
    private const int RemoteFilesInFlight = 4;

    /// <summary>
    /// Merges of up to this many files decode each file's next row group ahead; wider ones hold one row group per file,
    /// since a merge's memory is files × row groups held, and with many files their decoding overlaps itself anyway.
    /// </summary>
    private const int MaxFilesReadAhead = 8;

    /// <summary>
    /// Opens the files of a bucket to be merged, each decoding ahead (its first row group from now on) unless there are
    /// many; the caller disposes them. From a remote store they are opened several at once: there a file costs round
    /// trips, not CPU.
    /// </summary>
    public async Task<DataFileCursor[]> OpenAllAsync(IReadOnlyList<object?> partition, int bucket, IReadOnlyList<DataFileMeta> files, bool[]? needed, CancellationToken ct = default)
    {
        var opened = new DataFileCursor?[files.Count];
        bool readAhead = files.Count <= MaxFilesReadAhead;
        try
        {
            if (IsRemote && files.Count > 1)
            {
                await Parallel.ForEachAsync(Enumerable.Range(0, files.Count), new ParallelOptions { MaxDegreeOfParallelism = RemoteFilesInFlight, CancellationToken = ct },
                    async (i, token) => opened[i] = await OpenAsync(partition, bucket, files[i], needed, readAhead, token).ConfigureAwait(false)).ConfigureAwait(false);
            }
            else
            {
                for (int i = 0; i < files.Count; i++)
                    opened[i] = await OpenAsync(partition, bucket, files[i], needed, readAhead, ct).ConfigureAwait(false);
            }
            return opened!;
        }
        catch
        {
            foreach (var c in opened) if (c is not null) await c.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Decodes the whole file into one batch of typed column vectors; the caller disposes the batch.</summary>
    /// <param name="needed">Per field of the current schema, whether to decode it; null means all.</param>
    public async Task<ColumnBatch> ReadBatchAsync(IReadOnlyList<object?> partition, int bucket, DataFileMeta file, bool[]? needed, CancellationToken ct = default)
    {
        await using var cursor = await OpenAsync(partition, bucket, file, needed, ct: ct).ConfigureAwait(false);
        return await cursor.ReadRestAsync(ct).ConfigureAwait(false)
            ?? new ColumnBatch(0, [], [], new ColumnVector?[current.Fields.Length]);
    }

    /// <summary>What a failure to read a data file means to the caller, or null for failures that speak for themselves.</summary>
    internal static TableStoreException? Unreadable(Exception e, string path) => e switch
    {
        // A store that reads in ranges finds a file missing only at the first read.
        ObjectNotFoundException => new CorruptFileException($"Data file '{path}' named by the manifest is missing: the snapshot may have expired or the table is damaged."),
        OperationCanceledException or TableStoreException or RangeReadException => null,
        _ => new CorruptFileException($"Data file '{path}' cannot be read as Parquet: {e.Message}", e),
    };
}
