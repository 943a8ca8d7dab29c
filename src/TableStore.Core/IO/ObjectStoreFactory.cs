namespace TableStore.Core.IO;

/// <summary>
/// Opens warehouses by location: a folder path and a <c>file://</c> URI built in, other schemes by the
/// <see cref="IWarehouseOpener"/>s it is built with (tests add <c>memory://</c>, from TableStore.Testing). Every store
/// it opens counts its requests (<see cref="CountingObjectStore"/>).
/// </summary>
public sealed class ObjectStoreFactory
{
    private readonly Dictionary<string, IWarehouseOpener> _openers = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Local warehouses only (folders, <c>file://</c>).</summary>
    public static ObjectStoreFactory Local { get; } = new();

    public ObjectStoreFactory(params IEnumerable<IWarehouseOpener> openers)
    {
        foreach (var opener in openers)
        {
            if (string.IsNullOrWhiteSpace(opener.Scheme) || opener.Scheme is "file" || opener.Scheme.Contains(':', StringComparison.Ordinal))
                throw new ArgumentException($"'{opener.Scheme}' cannot be a warehouse opener's scheme ({opener.GetType().Name}).", nameof(openers));
            if (_openers.TryGetValue(opener.Scheme, out var other) && other.GetType() != opener.GetType())
                throw new ArgumentException($"Two openers for warehouse scheme '{opener.Scheme}': {other.GetType().Name} and {opener.GetType().Name}.", nameof(openers));
            _openers[opener.Scheme] = opener;
        }
    }

    /// <summary>The schemes beyond the local ones, in order.</summary>
    public IEnumerable<string> Schemes => _openers.Keys.Order(StringComparer.Ordinal);

    /// <summary>Opens a warehouse given as a folder path, a <c>file://</c> URI or a URI of a scheme this factory has an opener for.</summary>
    /// <param name="options">How a cloud store retries, times out, uploads and reads; null: the defaults.</param>
    public IObjectStore Open(string uri, ObjectStoreOptions? options = null) => new CountingObjectStore(OpenUncounted(uri, options ?? new ObjectStoreOptions()));

    private IObjectStore OpenUncounted(string uri, ObjectStoreOptions options)
    {
        if (string.IsNullOrWhiteSpace(uri)) throw new InvalidInputException("The warehouse location is empty.");
        if (uri.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(uri, UriKind.Absolute, out var u) || !u.IsFile)
                throw new InvalidInputException($"Invalid warehouse URI '{uri}': expected file:///absolute/path.");
            return new LocalFileSystemObjectStore(u.LocalPath);
        }
        int end = uri.IndexOf("://", StringComparison.Ordinal);
        if (end > 0)
        {
            var scheme = uri[..end];
            if (_openers.TryGetValue(scheme, out var opener)) return opener.Open(uri, options.Validate());
            throw new InvalidInputException($"Unsupported warehouse URI scheme '{scheme}' in '{uri}': supported are a local path, file://{string.Concat(Schemes.Select(n => ", " + n + "://"))}.{MissingOpener(scheme)}");
        }
        return new LocalFileSystemObjectStore(uri);
    }

    /// <summary>For a store that exists but was not given to this factory: what adds it.</summary>
    private static string MissingOpener(string scheme) => scheme.ToLowerInvariant() switch
    {
        "s3" => " s3:// needs the S3 store: services.AddS3Warehouses() on a silo, or an S3WarehouseOpener given to the ObjectStoreFactory.",
        "az" => " az:// needs the Azure Blob store: services.AddAzureWarehouses() on a silo, or an AzureWarehouseOpener given to the ObjectStoreFactory.",
        "memory" => " memory:// is a test warehouse: a test gives TableStore.Testing's MemoryWarehouseOpener to the ObjectStoreFactory (services.AddMemoryWarehouses() on a silo).",
        _ => "",
    };
}
