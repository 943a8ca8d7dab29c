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

    /// <summary>
    /// Opens a local warehouse (a folder path or a <c>file://</c> URI); its requests are counted.
    /// Cloud warehouses need their store's opener: <see cref="ObjectStoreFactory.Open"/> on a factory built with it.
    /// </summary>
    /// <param name="options">How a cloud store retries, times out, uploads and reads; null: the defaults.</param>
    public static IObjectStore OpenWarehouse(string uri, ObjectStoreOptions? options = null) => ObjectStoreFactory.Local.Open(uri, options);
}
