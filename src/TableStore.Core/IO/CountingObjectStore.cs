using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace TableStore.Core.IO;

/// <summary>
/// Counts the requests made to a store, by kind: as a metric (<c>tablestore.store.requests</c>, tagged with the
/// request kind and the store's location) and in <see cref="Counts"/> for callers that measure an operation
/// (requests per commit, per scan). Every warehouse opened by <see cref="ObjectStoreFactory"/> is
/// counted. A list counts one request per call here (a cloud store may page: one per 1,000 objects).
/// </summary>
public sealed class CountingObjectStore(IObjectStore inner) : IObjectStore
{
    private static readonly Meter Meter = new(Diagnostics.TableStoreMetrics.MeterName + ".Store");
    private static readonly Counter<long> Requests = Meter.CreateCounter<long>("tablestore.store.requests", description: "Object-store requests by kind");
    private readonly long[] _counts = new long[Enum.GetValues<StoreRequest>().Length];

    public IObjectStore Inner => inner;
    public string Location => inner.Location;
    public int? RangeReadBlockSize => inner.RangeReadBlockSize;

    public string? LocalPath(string path) => inner.LocalPath(path);

    /// <summary>Requests so far, by kind.</summary>
    public IReadOnlyDictionary<StoreRequest, long> Counts =>
        Enum.GetValues<StoreRequest>().ToDictionary(k => k, k => Interlocked.Read(ref _counts[(int)k]));

    private void Count(StoreRequest kind)
    {
        Interlocked.Increment(ref _counts[(int)kind]);
        Requests.Add(1, new KeyValuePair<string, object?>("request", kind.ToString()), new KeyValuePair<string, object?>("store", inner.Location));
    }

    public Task<byte[]> GetAsync(string path, CancellationToken ct = default) { Count(StoreRequest.Get); return inner.GetAsync(path, ct); }
    public Task<byte[]> GetRangeAsync(string path, long offset, int length, CancellationToken ct = default) { Count(StoreRequest.GetRange); return inner.GetRangeAsync(path, offset, length, ct); }
    public Task<Stream> OpenReadAsync(string path, CancellationToken ct = default) { Count(StoreRequest.Get); return inner.OpenReadAsync(path, ct); }
    public Task PutAsync(string path, ReadOnlyMemory<byte> data, CancellationToken ct = default) { Count(StoreRequest.Put); return inner.PutAsync(path, data, ct); }
    public Task<bool> PutIfAbsentAsync(string path, ReadOnlyMemory<byte> data, CancellationToken ct = default) { Count(StoreRequest.PutIfAbsent); return inner.PutIfAbsentAsync(path, data, ct); }
    public Task DeleteAsync(string path, CancellationToken ct = default) { Count(StoreRequest.Delete); return inner.DeleteAsync(path, ct); }
    public Task<bool> ExistsAsync(string path, CancellationToken ct = default) { Count(StoreRequest.Exists); return inner.ExistsAsync(path, ct); }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct = default)
    {
        Count(StoreRequest.List);
        await foreach (var o in inner.ListAsync(prefix, ct).ConfigureAwait(false)) yield return o;
    }
}
