using System.Runtime.CompilerServices;
using TableStore.Core.Format;
using TableStore.Core.MergeTree;

namespace TableStore.Core.Scan;

/// <summary>
/// An opened split whose rows are produced on demand: primary-key buckets through a streaming merge whose first
/// segment is ready, append-only buckets file after file. It holds a row group or two per open file, not whole files.
/// Dispose closes the files and returns the buffers.
/// </summary>
public sealed class PreparedSplit : IAsyncDisposable
{
    private readonly BatchMergeReader? _merge;
    private MergeSegment? _first;
    private readonly Func<int, CancellationToken, Task<DataFileCursor>>? _openFile;
    private readonly int _fileCount;
    private DataFileCursor? _file;
    private int _rowsStarted;

    /// <summary>A merged split, its first segment computed.</summary>
    internal PreparedSplit(BatchMergeReader merge, MergeSegment? first)
    {
        _merge = merge;
        _first = first;
    }

    /// <summary>An append-only split: its files in write order, opened one after another, the first one already.</summary>
    internal PreparedSplit(DataFileCursor? first, int fileCount, Func<int, CancellationToken, Task<DataFileCursor>> openFile)
    {
        _file = first;
        _fileCount = fileCount;
        _openFile = openFile;
    }

    /// <summary>Full-width rows (read columns filled) in key order, or write order for append-only tables. Read once.</summary>
    public async IAsyncEnumerable<object?[]> Rows([EnumeratorCancellation] CancellationToken ct = default)
    {
        if (Interlocked.Exchange(ref _rowsStarted, 1) != 0) throw new InvalidOperationException("A prepared split's rows are read once.");
        if (_merge is not null)
        {
            for (var segment = _first; segment is not null; segment = await _merge.NextAsync(ct).ConfigureAwait(false))
            {
                _first = null;
                for (int i = 0; i < segment.Count; i++) yield return segment.Row(i);
            }
            yield break;
        }
        for (int f = 0; f < _fileCount; f++)
        {
            _file ??= await _openFile!(f, ct).ConfigureAwait(false);
            while (await _file.NextAsync(ct).ConfigureAwait(false) is { } batch)
            {
                using (batch)
                    for (int i = 0; i < batch.RowCount; i++) yield return batch.Row(i);
            }
            var done = _file;
            _file = null;
            await done.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_merge is not null) await _merge.DisposeAsync().ConfigureAwait(false);
        if (_file is not null) await _file.DisposeAsync().ConfigureAwait(false);
        _file = null;
    }
}
