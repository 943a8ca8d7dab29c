using System.Runtime.CompilerServices;
using TableStore.Core.IO;

namespace TableStore.Core.Tests.Support;

/// <summary>Adds a random short pause before each call so that concurrent committers interleave and race.</summary>
internal sealed class JitterObjectStore(IObjectStore inner, int seed) : IObjectStore
{
    private readonly Random _random = new(seed);

    private async Task Pause()
    {
        int ms;
        lock (_random) ms = _random.Next(0, 3);
        if (ms == 0) await Task.Yield();
        else await Task.Delay(ms);
    }

    public string Location => inner.Location;
    public async Task<byte[]> GetAsync(string path, CancellationToken ct = default) { await Pause(); return await inner.GetAsync(path, ct); }
    public async Task<byte[]> GetRangeAsync(string path, long offset, int length, CancellationToken ct = default) { await Pause(); return await inner.GetRangeAsync(path, offset, length, ct); }
    public async Task PutAsync(string path, ReadOnlyMemory<byte> data, CancellationToken ct = default) { await Pause(); await inner.PutAsync(path, data, ct); }
    public async Task<bool> PutIfAbsentAsync(string path, ReadOnlyMemory<byte> data, CancellationToken ct = default) { await Pause(); return await inner.PutIfAbsentAsync(path, data, ct); }
    public async Task DeleteAsync(string path, CancellationToken ct = default) { await Pause(); await inner.DeleteAsync(path, ct); }
    public async Task<bool> ExistsAsync(string path, CancellationToken ct = default) { await Pause(); return await inner.ExistsAsync(path, ct); }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await Pause();
        await foreach (var o in inner.ListAsync(prefix, ct)) yield return o;
    }
}
