namespace TableStore.Core.IO;

/// <summary>
/// Opens the warehouses of one URI scheme (<c>s3</c>, <c>az</c>): a cloud store's entry point, given to an
/// <see cref="ObjectStoreFactory"/> by the host that references the store (the CLI explicitly, a silo through
/// dependency injection), so the engine itself depends on no cloud SDK.
/// </summary>
public interface IWarehouseOpener
{
    /// <summary>The URI scheme, without <c>://</c> (case-insensitive).</summary>
    string Scheme { get; }

    /// <summary>Opens the warehouse <paramref name="uri"/> (of this scheme) with validated <paramref name="options"/>.</summary>
    IObjectStore Open(string uri, ObjectStoreOptions options);
}
