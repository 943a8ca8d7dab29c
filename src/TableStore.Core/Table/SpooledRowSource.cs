using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using TableStore.Core.Data;
using TableStore.Core.Serialization;

namespace TableStore.Core.Table;

/// <summary>
/// A <see cref="RowSource.Once"/> source made readable again for an embedded write that must start over (another
/// writer committed to the same buckets meanwhile): the first read copies each batch to a temporary file as it
/// passes, and later reads come from that file. Memory stays one batch; the file, unlinked at once, disappears with
/// the process even if it is killed.
/// </summary>
internal sealed class SpooledRowSource : IAsyncDisposable
{
    private readonly RowSource _source;
    private readonly FileStream _spool;
    private bool _complete;

    public SpooledRowSource(RowSource source)
    {
        _source = source;
        var path = Path.Combine(Path.GetTempPath(), "tablestore-spool-" + Guid.NewGuid().ToString("N"));
        _spool = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        File.Delete(path); // the open handle keeps the data; nothing is left behind
        Rows = RowSource.Replayable(Open, source.Description);
    }

    /// <summary>The rows, readable any number of times.</summary>
    public RowSource Rows { get; }

    private IAsyncEnumerable<IReadOnlyList<ChangeRow>> Open(CancellationToken ct)
    {
        if (_complete) return ReplayAsync(ct);
        if (_spool.Length > 0)
            throw new InvalidOperationException("A spooled source was read again before its first read ended.");
        return CopyAsync(ct);
    }

    private async IAsyncEnumerable<IReadOnlyList<ChangeRow>> CopyAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var length = new byte[4];
        await foreach (var batch in _source.Open(ct).WithCancellation(ct).ConfigureAwait(false))
        {
            // Copied before the write sees the batch: the write converts the values in place.
            var data = RowBatchCodec.Encode(batch.Select(r => (byte)r.Kind).ToArray(), batch.Select(r => r.Values).ToList());
            BinaryPrimitives.WriteInt32LittleEndian(length, data.Length);
            await _spool.WriteAsync(length, ct).ConfigureAwait(false);
            await _spool.WriteAsync(data, ct).ConfigureAwait(false);
            yield return batch;
        }
        await _spool.FlushAsync(ct).ConfigureAwait(false);
        _complete = true;
    }

    private async IAsyncEnumerable<IReadOnlyList<ChangeRow>> ReplayAsync([EnumeratorCancellation] CancellationToken ct)
    {
        _spool.Position = 0;
        var length = new byte[4];
        while (_spool.Position < _spool.Length)
        {
            await _spool.ReadExactlyAsync(length, ct).ConfigureAwait(false);
            var data = new byte[BinaryPrimitives.ReadInt32LittleEndian(length)];
            await _spool.ReadExactlyAsync(data, ct).ConfigureAwait(false);
            var (kinds, rows) = RowBatchCodec.Decode(data);
            var batch = new List<ChangeRow>(rows.Length);
            for (int i = 0; i < rows.Length; i++) batch.Add(new ChangeRow(RowKindExtensions.FromByte(kinds[i]), rows[i]));
            yield return batch;
        }
        _spool.Position = _spool.Length;
    }

    public ValueTask DisposeAsync() => _spool.DisposeAsync();
}
