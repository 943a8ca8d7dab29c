namespace TableStore.Core.IO;

public static class ObjectStoreExtensions
{
    public static async Task<List<ObjectInfo>> ListAllAsync(this IObjectStore store, string prefix, CancellationToken ct = default)
    {
        var list = new List<ObjectInfo>();
        await foreach (var o in store.ListAsync(prefix, ct).ConfigureAwait(false)) list.Add(o);
        return list;
    }

    /// <summary>
    /// Opens an object of known size (a data file, sized by its manifest entry) for random access: in ranges when the
    /// store prefers that and the object is larger than one range, else as the store opens it.
    /// </summary>
    public static async Task<Stream> OpenRandomAccessAsync(this IObjectStore store, string path, long size, CancellationToken ct = default) =>
        store.RangeReadBlockSize is int block && size > block
            ? new RangeReadStream(store, path, size, block)
            : await store.OpenReadAsync(path, ct).ConfigureAwait(false);

    /// <summary>Opens a warehouse given as a folder path, a <c>file://</c> URI or a registered scheme; its requests are counted.</summary>
    /// <param name="options">How a cloud store retries, times out, uploads and reads; null: the defaults.</param>
    public static IObjectStore OpenWarehouse(string uri, ObjectStoreOptions? options = null) => new CountingObjectStore(OpenUncounted(uri, options ?? new ObjectStoreOptions()));

    private static IObjectStore OpenUncounted(string uri, ObjectStoreOptions options)
    {
        if (string.IsNullOrWhiteSpace(uri)) throw new InvalidInputException("The warehouse location is empty.");
        if (uri.StartsWith("memory://", StringComparison.OrdinalIgnoreCase)) return new InMemoryObjectStore();
        if (uri.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(uri, UriKind.Absolute, out var u) || !u.IsFile)
                throw new InvalidInputException($"Invalid warehouse URI '{uri}': expected file:///absolute/path.");
            return new LocalFileSystemObjectStore(u.LocalPath);
        }
        int scheme = uri.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0)
        {
            if (WarehouseSchemes.TryGet(uri[..scheme], out var open)) return open(uri, options.Validate());
            throw new InvalidInputException($"Unsupported warehouse URI scheme '{uri[..scheme]}' in '{uri}': supported are a local path, file://{string.Concat(WarehouseSchemes.Names.Select(n => ", " + n + "://"))}.");
        }
        return new LocalFileSystemObjectStore(uri);
    }
}

/// <summary>
/// Object stores beyond the local ones, by warehouse URI scheme (<c>az</c>, <c>s3</c>): registered by the hosts that
/// reference them (the CLI, the server), so the engine itself depends on no cloud SDK.
/// </summary>
public static class WarehouseSchemes
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Func<string, ObjectStoreOptions, IObjectStore>> Openers = new(StringComparer.OrdinalIgnoreCase);

    public static void Register(string scheme, Func<string, ObjectStoreOptions, IObjectStore> open) => Openers[scheme] = open;

    public static bool TryGet(string scheme, out Func<string, ObjectStoreOptions, IObjectStore> open) => Openers.TryGetValue(scheme, out open!);

    public static IEnumerable<string> Names => Openers.Keys.Order(StringComparer.Ordinal);
}
