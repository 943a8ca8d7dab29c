namespace TableStore.Core.IO;

/// <summary>
/// The only seam between the engine and storage. Paths are relative, '/'-separated keys under the
/// warehouse root. Implementations must make <see cref="PutAsync"/> atomic (readers see the old object or
/// the whole new one) and <see cref="PutIfAbsentAsync"/> linearizable: of many racing creates of one path,
/// exactly one returns true. The commit protocol relies on nothing else.
/// </summary>
public interface IObjectStore
{
    /// <summary>Where the store points, for messages (e.g. <c>file:///data/warehouse</c>).</summary>
    string Location { get; }

    /// <exception cref="ObjectNotFoundException">The object does not exist.</exception>
    Task<byte[]> GetAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>Reads <paramref name="length"/> bytes at <paramref name="offset"/> (fewer at the end of the object).</summary>
    /// <exception cref="ObjectNotFoundException">The object does not exist.</exception>
    Task<byte[]> GetRangeAsync(string path, long offset, int length, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens the object for reading as a seekable stream (Parquet readers seek to the footer). The default
    /// downloads it whole; stores with cheap random access (local files) stream it instead.
    /// </summary>
    /// <exception cref="ObjectNotFoundException">The object does not exist.</exception>
    async Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default) =>
        new MemoryStream(await GetAsync(path, cancellationToken).ConfigureAwait(false), writable: false);

    /// <summary>
    /// Objects larger than this are read in ranges (<see cref="RangeReadStream"/>) rather than whole: set by stores
    /// where a request is a network round trip. Null (the default) means <see cref="OpenReadAsync"/> is best.
    /// </summary>
    int? RangeReadBlockSize => null;

    /// <summary>
    /// Where the object lives on this machine, for engines that open files themselves (DuckDB); null (the default):
    /// not a local file, copy it first.
    /// </summary>
    string? LocalPath(string path) => null;

    /// <summary>Creates or replaces the object atomically.</summary>
    Task PutAsync(string path, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>Creates the object only if no object exists at the path. Returns false when one does.</summary>
    Task<bool> PutIfAbsentAsync(string path, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>Objects whose path starts with <paramref name="prefix"/>, in ordinal path order.</summary>
    IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Deletes the object; deleting a missing object is not an error.</summary>
    Task DeleteAsync(string path, CancellationToken cancellationToken = default);

    Task<bool> ExistsAsync(string path, CancellationToken cancellationToken = default);
}

