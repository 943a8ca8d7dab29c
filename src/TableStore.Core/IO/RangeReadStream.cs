namespace TableStore.Core.IO;

/// <summary>
/// A read-only, seekable view of an object of known size that fetches only the ranges read, for stores where a
/// request costs a round trip (S3, Azure). Parquet readers seek to the footer and then to the column chunks they
/// decode, so a projection downloads its columns and not the whole file. Small reads go through a block cache (the
/// footer, page headers); a read of a block or more is one ranged GET of exactly that range.
/// </summary>
public sealed class RangeReadStream : Stream
{
    private readonly IObjectStore _store;
    private readonly string _path;
    private readonly int _blockSize;
    private long _position;
    // The two most recently used blocks: the footer and the chunk being read, without unbounded memory.
    private (long Index, byte[] Data) _recent = (-1, []);
    private (long Index, byte[] Data) _older = (-1, []);

    public RangeReadStream(IObjectStore store, string path, long length, int blockSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        _store = store;
        _path = path;
        Length = length;
        _blockSize = blockSize;
    }

    public override long Length { get; }
    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "A position cannot be negative.");
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        SeekOrigin.End => Length + offset,
        _ => throw new ArgumentOutOfRangeException(nameof(origin)),
    };

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        int count = (int)Math.Min(buffer.Length, Math.Max(0, Length - _position));
        if (count == 0) return 0;
        if (count >= _blockSize)
        {
            var data = await GetAsync(_position, count, ct).ConfigureAwait(false);
            if (data.Length != count) throw new IOException($"'{_path}' in {_store.Location} returned {data.Length} bytes at {_position}, expected {count}: it changed or was truncated.");
            data.CopyTo(buffer);
            _position += count;
            return count;
        }
        int copied = 0;
        while (copied < count)
        {
            long index = _position / _blockSize;
            var block = await BlockAsync(index, ct).ConfigureAwait(false);
            int offset = (int)(_position - index * _blockSize);
            int n = Math.Min(count - copied, block.Length - offset);
            if (n <= 0) throw new IOException($"'{_path}' in {_store.Location} ended at {_position}, before its known size {Length}: it changed or was truncated.");
            block.AsMemory(offset, n).CopyTo(buffer[copied..]);
            copied += n;
            _position += n;
        }
        return copied;
    }

    private async ValueTask<byte[]> BlockAsync(long index, CancellationToken ct)
    {
        if (_recent.Index == index) return _recent.Data;
        if (_older.Index == index)
        {
            (_recent, _older) = (_older, _recent);
            return _recent.Data;
        }
        long start = index * _blockSize;
        int length = (int)Math.Min(_blockSize, Length - start);
        var data = await GetAsync(start, length, ct).ConfigureAwait(false);
        // A server that ignored the range, or an object shorter than its manifest says: never decode those bytes.
        if (data.Length != length) throw new IOException($"'{_path}' in {_store.Location} returned {data.Length} bytes at {start}, expected {length}: it changed or was truncated.");
        (_older, _recent) = (_recent, (index, data));
        return data;
    }

    /// <summary>A ranged GET; a store failure is told apart from a bad file (which the reader reports as corrupt).</summary>
    private async Task<byte[]> GetAsync(long offset, int length, CancellationToken ct)
    {
        try { return await _store.GetRangeAsync(_path, offset, length, ct).ConfigureAwait(false); }
        catch (IOException e) { throw new RangeReadException(e.Message, e); }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    // Parquet.Net reads asynchronously; a synchronous read (another library) blocks on the same path.
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

