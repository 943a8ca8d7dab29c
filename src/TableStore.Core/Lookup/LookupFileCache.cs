using System.Collections.Concurrent;

namespace TableStore.Core.Lookup;

/// <summary>
/// Decoded data files for point lookups, shared by every lookup of a process (a silo): least recently used files
/// are evicted beyond <c>maxBytes</c>. Bloom filters of files stay after eviction (bounded separately, at an eighth
/// of the budget), so a file evicted or never loaded is still skipped when it cannot hold the key. Data files are
/// immutable, so an entry never goes stale: the path is the identity. Thread-safe; concurrent misses on one file
/// load it once.
/// </summary>
public sealed class LookupFileCache(long maxBytes)
{
    private sealed class Entry(Lazy<Task<LookupFile>> load)
    {
        public Lazy<Task<LookupFile>> Load { get; } = load;
        public long LastUse;
        public long Bytes;
    }

    private readonly ConcurrentDictionary<string, Entry> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, KeyBloomFilter> _blooms = new(StringComparer.Ordinal);
    private readonly object _evictLock = new();
    private long _clock, _bytes, _bloomBytes;
    private long _hits, _misses, _bloomSkips, _evictions;

    public long MaxBytes => maxBytes;
    public long Bytes => Interlocked.Read(ref _bytes);
    public long Hits => Interlocked.Read(ref _hits);
    public long Misses => Interlocked.Read(ref _misses);
    public long BloomSkips => Interlocked.Read(ref _bloomSkips);
    public long Evictions => Interlocked.Read(ref _evictions);
    public int CachedFiles => _files.Count;

    /// <summary>The file's bloom filter when it was ever loaded, else null (the file must be read to know).</summary>
    public KeyBloomFilter? TryGetBloom(string path) => _blooms.GetValueOrDefault(path);

    internal void CountBloomSkip() => Interlocked.Increment(ref _bloomSkips);

    public async ValueTask<LookupFile> GetAsync(string path, Func<Task<(LookupFile File, KeyBloomFilter Bloom)>> load)
    {
        long now = Interlocked.Increment(ref _clock);
        if (_files.TryGetValue(path, out var entry) && entry.Load.Value is { IsCompletedSuccessfully: true } ready)
        {
            Volatile.Write(ref entry.LastUse, now);
            Interlocked.Increment(ref _hits);
            return ready.Result;
        }
        Interlocked.Increment(ref _misses);
        var mine = new Entry(new Lazy<Task<LookupFile>>(async () =>
        {
            var (file, bloom) = await load().ConfigureAwait(false);
            if (_blooms.TryAdd(path, bloom) && Interlocked.Add(ref _bloomBytes, bloom.SizeBytes) > maxBytes / 8) TrimBlooms();
            return file;
        }));
        entry = _files.GetOrAdd(path, mine);
        entry.LastUse = now;
        LookupFile result;
        try { result = await entry.Load.Value.ConfigureAwait(false); }
        catch
        {
            _files.TryRemove(new KeyValuePair<string, Entry>(path, entry));
            throw;
        }
        if (ReferenceEquals(entry, mine))
        {
            entry.Bytes = result.EstimatedBytes;
            if (Interlocked.Add(ref _bytes, entry.Bytes) > maxBytes) Evict(keep: path);
        }
        return result;
    }

    private void Evict(string keep)
    {
        lock (_evictLock)
        {
            while (Interlocked.Read(ref _bytes) > maxBytes)
            {
                string? victim = null;
                long oldest = long.MaxValue;
                foreach (var (p, e) in _files)
                    if (p != keep && e.Load.IsValueCreated && e.Load.Value.IsCompleted && e.LastUse < oldest) (victim, oldest) = (p, e.LastUse);
                if (victim is null)
                {
                    // Only the newest file is left and it alone exceeds the budget: keep nothing.
                    if (maxBytes == 0 || _files.Count == 1) Remove(keep);
                    return;
                }
                Remove(victim);
            }
        }
    }

    private void Remove(string path)
    {
        if (_files.TryRemove(path, out var e))
        {
            Interlocked.Add(ref _bytes, -e.Bytes);
            Interlocked.Increment(ref _evictions);
        }
    }

    /// <summary>Blooms are small; when even they exceed their share, drop those of files no longer cached.</summary>
    private void TrimBlooms()
    {
        foreach (var (path, bloom) in _blooms)
        {
            if (Interlocked.Read(ref _bloomBytes) <= maxBytes / 16) break;
            if (!_files.ContainsKey(path) && _blooms.TryRemove(path, out _)) Interlocked.Add(ref _bloomBytes, -bloom.SizeBytes);
        }
    }
}
