using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using TableStore.Core.IO;

namespace TableStore.Testing;

/// <summary>
/// A process-local store for tests, the <c>memory://</c> warehouse of <see cref="MemoryWarehouseOpener"/>. Same semantics
/// as the file system store.
/// </summary>
public sealed class InMemoryObjectStore(TimeProvider? timeProvider = null) : IObjectStore
{
    private readonly ConcurrentDictionary<string, (byte[] Data, DateTimeOffset Modified)> _objects = new(StringComparer.Ordinal);
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public string Location => "memory://";

    public int Count => _objects.Count;

    public Task<byte[]> GetAsync(string path, CancellationToken cancellationToken = default) =>
        _objects.TryGetValue(ObjectPaths.Validate(path), out var o)
            ? Task.FromResult(o.Data.ToArray())
            : Task.FromException<byte[]>(new ObjectNotFoundException(Location, path));

    public Task<byte[]> GetRangeAsync(string path, long offset, int length, CancellationToken cancellationToken = default)
    {
        if (!_objects.TryGetValue(ObjectPaths.Validate(path), out var o))
            return Task.FromException<byte[]>(new ObjectNotFoundException(Location, path));
        int start = (int)Math.Min(offset, o.Data.Length);
        int n = Math.Min(length, o.Data.Length - start);
        return Task.FromResult(o.Data.AsSpan(start, n).ToArray());
    }

    public Task PutAsync(string path, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        _objects[ObjectPaths.Validate(path)] = (data.ToArray(), _time.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task<bool> PutIfAbsentAsync(string path, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        Task.FromResult(_objects.TryAdd(ObjectPaths.Validate(path), (data.ToArray(), _time.GetUtcNow())));

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        var matches = _objects.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
            .Select(kv => new ObjectInfo(kv.Key, kv.Value.Data.Length, kv.Value.Modified))
            .OrderBy(o => o.Path, StringComparer.Ordinal)
            .ToList();
        foreach (var m in matches) yield return m;
    }

    public Task DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        _objects.TryRemove(ObjectPaths.Validate(path), out _);
        return Task.CompletedTask;
    }

    public Task<bool> ExistsAsync(string path, CancellationToken cancellationToken = default) =>
        Task.FromResult(_objects.ContainsKey(ObjectPaths.Validate(path)));
}
