using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using TableStore.Core;
using TableStore.Core.IO;

namespace TableStore.ObjectStores.Azure;

/// <summary>
/// A warehouse in an Azure Blob container, under a prefix. Puts are single uploads (a block list committed at once
/// for large ones), so readers see the old blob or the new one; put-if-absent is an upload with
/// <c>If-None-Match: *</c>, which Azure applies atomically: of racing creators exactly one succeeds. Transient
/// failures (5xx, 503 throttling, timeouts) are retried by the SDK with exponential backoff.
/// </summary>
public sealed class AzureBlobObjectStore : IObjectStore
{
    private readonly BlobContainerClient _container;
    private readonly string _prefix;
    private readonly bool _createContainer;
    private volatile bool _containerChecked;

    /// <param name="prefix">Folder inside the container ('' for its root); no leading or trailing '/'.</param>
    public AzureBlobObjectStore(BlobContainerClient container, string prefix, bool createContainer = true)
    {
        _container = container;
        _prefix = prefix.Trim('/').Length == 0 ? "" : prefix.Trim('/') + "/";
        _createContainer = createContainer;
        Location = $"az://{container.AccountName}/{container.Name}/{_prefix}";
    }

    public string Location { get; }

    private BlobClient Blob(string path) => _container.GetBlobClient(_prefix + ObjectPaths.Validate(path));

    public async Task<byte[]> GetAsync(string path, CancellationToken ct = default)
    {
        try { return (await Blob(path).DownloadContentAsync(ct).ConfigureAwait(false)).Value.Content.ToArray(); }
        catch (RequestFailedException e) when (e.Status == 404) { throw new ObjectNotFoundException(Location, path); }
        catch (RequestFailedException e) { throw Translate(e, path); }
    }

    public async Task<byte[]> GetRangeAsync(string path, long offset, int length, CancellationToken ct = default)
    {
        try
        {
            var response = await Blob(path).DownloadContentAsync(new BlobDownloadOptions { Range = new HttpRange(offset, length) }, ct).ConfigureAwait(false);
            return response.Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 416)
        {
            // Past the end: nothing, as for the other stores (but only if the blob exists).
            if (!await ExistsAsync(path, ct).ConfigureAwait(false)) throw new ObjectNotFoundException(Location, path);
            return [];
        }
        catch (RequestFailedException e) when (e.Status == 404) { throw new ObjectNotFoundException(Location, path); }
        catch (RequestFailedException e) { throw Translate(e, path); }
    }

    public async Task PutAsync(string path, ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        await EnsureContainerAsync(ct).ConfigureAwait(false);
        try { await Blob(path).UploadAsync(BinaryData.FromBytes(data), overwrite: true, ct).ConfigureAwait(false); }
        catch (RequestFailedException e) { throw Translate(e, path); }
    }

    public async Task<bool> PutIfAbsentAsync(string path, ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        await EnsureContainerAsync(ct).ConfigureAwait(false);
        var blob = Blob(path);
        try
        {
            await blob.UploadAsync(BinaryData.FromBytes(data), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, ct).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // The SDK retries a request whose reply was lost; if the first attempt created the blob, the retry is
            // refused as "exists". Content identical to ours means it is ours (snapshots name unique files).
            try { return (await blob.DownloadContentAsync(ct).ConfigureAwait(false)).Value.Content.ToMemory().Span.SequenceEqual(data.Span); }
            catch (RequestFailedException) { return false; }
        }
        catch (RequestFailedException e) { throw Translate(e, path); }
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (prefix.Length > 0) ObjectPaths.Validate(prefix.TrimEnd('/'));
        var pages = _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, _prefix + prefix, ct).AsPages().GetAsyncEnumerator(ct);
        try
        {
            while (true)
            {
                Page<BlobItem> page;
                try
                {
                    if (!await pages.MoveNextAsync().ConfigureAwait(false)) yield break;
                    page = pages.Current;
                }
                catch (RequestFailedException e) when (e.Status == 404) { yield break; } // no container yet: nothing
                catch (RequestFailedException e) { throw Translate(e, prefix); }
                foreach (var item in page.Values)
                    yield return new ObjectInfo(item.Name[_prefix.Length..], item.Properties.ContentLength ?? 0, item.Properties.LastModified ?? DateTimeOffset.MinValue);
            }
        }
        finally
        {
            await pages.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async Task DeleteAsync(string path, CancellationToken ct = default)
    {
        try { await Blob(path).DeleteIfExistsAsync(cancellationToken: ct).ConfigureAwait(false); }
        catch (RequestFailedException e) when (e.Status == 404) { }
        catch (RequestFailedException e) { throw Translate(e, path); }
    }

    public async Task<bool> ExistsAsync(string path, CancellationToken ct = default)
    {
        try { return (await Blob(path).ExistsAsync(ct).ConfigureAwait(false)).Value; }
        catch (RequestFailedException e) { throw Translate(e, path); }
    }

    /// <summary>Creates the container on first write when allowed; says which container when it cannot.</summary>
    private async Task EnsureContainerAsync(CancellationToken ct)
    {
        if (_containerChecked) return;
        try
        {
            if (_createContainer) await _container.CreateIfNotExistsAsync(cancellationToken: ct).ConfigureAwait(false);
            else if (!(await _container.ExistsAsync(ct).ConfigureAwait(false)).Value)
                throw new TableStoreException($"Container '{_container.Name}' does not exist in storage account '{_container.AccountName}', and creating containers is turned off (create it, or allow creation).");
        }
        catch (RequestFailedException e)
        {
            throw new TableStoreException($"Container '{_container.Name}' in storage account '{_container.AccountName}' could not be created or checked ({e.Status} {e.ErrorCode}): {FirstLine(e.Message)} Create it, or give the credentials the right to.", e);
        }
        _containerChecked = true;
    }

    private Exception Translate(RequestFailedException e, string path) => e.Status switch
    {
        401 or 403 => new TableStoreException($"Access to '{path}' in {Location} was denied ({e.Status} {e.ErrorCode}): check the connection string or the identity's role on container '{_container.Name}' (Storage Blob Data Contributor).", e),
        _ => new IOException($"{Location}: '{path}' failed with {e.Status} {e.ErrorCode}: {FirstLine(e.Message)}", e),
    };

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
