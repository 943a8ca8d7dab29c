namespace TableStore.Core.Format;

/// <summary>
/// A sorted run read in pieces: a data file one row group at a time, or batches already in memory. Merges and
/// compactions hold one piece per run instead of whole files, so their memory does not grow with the data.
/// </summary>
public interface IBatchSource : IAsyncDisposable
{
    /// <summary>The next batch, or null after the last. The caller disposes each batch it gets.</summary>
    ValueTask<ColumnBatch?> NextAsync(CancellationToken ct = default);
}
