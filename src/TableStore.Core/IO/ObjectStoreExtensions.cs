namespace TableStore.Core.IO;

public static class ObjectStoreExtensions
{
    public static async Task<List<ObjectInfo>> ListAllAsync(this IObjectStore store, string prefix, CancellationToken ct = default)
    {
        var list = new List<ObjectInfo>();
        await foreach (var o in store.ListAsync(prefix, ct).ConfigureAwait(false)) list.Add(o);
        return list;
    }

    /// <summary>Opens a warehouse given as a folder path or a <c>file://</c> URI.</summary>
    public static IObjectStore OpenWarehouse(string uri)
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
            throw new InvalidInputException($"Unsupported warehouse URI scheme '{uri[..scheme]}' in '{uri}': supported are a local path and file://.");
        return new LocalFileSystemObjectStore(uri);
    }
}
