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
    private readonly int _maxRetries;
    private readonly int _blockSize;
    private volatile bool _containerChecked;

    /// <param name="prefix">Folder inside the container ('' for its root); no leading or trailing '/'.</param>
    /// <param name="maxRetries">How often the client retries a request, for messages.</param>
    /// <param name="blockSize">Blobs larger than this are uploaded as blocks of this size.</param>
    /// <param name="readBlockSize">Data files larger than this are read in ranges.</param>
    public AzureBlobObjectStore(BlobContainerClient container, string prefix, bool createContainer = true, int maxRetries = 6, int blockSize = 8 << 20, int readBlockSize = 8 << 20)
    {
        RangeReadBlockSize = readBlockSize;
        _maxRetries = maxRetries;
        _blockSize = blockSize;
        _container = container;
        _prefix = prefix.Trim('/').Length == 0 ? "" : prefix.Trim('/') + "/";
        _createContainer = createContainer;
        Location = $"az://{container.AccountName}/{container.Name}/{_prefix}";
    }

    public string Location { get; }

    public int? RangeReadBlockSize { get; }

    private BlobClient Blob(string path) => _container.GetBlobClient(_prefix + ObjectPaths.Validate(path));

    public Task<byte[]> GetAsync(string path, CancellationToken ct = default) => Guard(path, async () =>
    {
        try { return (await Blob(path).DownloadContentAsync(ct).ConfigureAwait(false)).Value.Content.ToArray(); }
        catch (RequestFailedException e) when (e.Status == 404) { throw new ObjectNotFoundException(Location, path); }
    }, ct);

    public Task<byte[]> GetRangeAsync(string path, long offset, int length, CancellationToken ct = default) => Guard(path, async () =>
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
    }, ct);

    public async Task PutAsync(string path, ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        await EnsureContainerAsync(ct).ConfigureAwait(false);
        await Guard(path, async () => await Blob(path).UploadAsync(BinaryData.FromBytes(data), Upload(null), ct).ConfigureAwait(false), ct).ConfigureAwait(false);
    }

    public async Task<bool> PutIfAbsentAsync(string path, ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        await EnsureContainerAsync(ct).ConfigureAwait(false);
        var blob = Blob(path);
        return await Guard(path, async () =>
        {
            try
            {
                await blob.UploadAsync(BinaryData.FromBytes(data), Upload(new BlobRequestConditions { IfNoneMatch = ETag.All }), ct).ConfigureAwait(false);
                return true;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // The SDK retries a request whose reply was lost; if the first attempt created the blob, the retry is
                // refused as "exists". Content identical to ours means it is ours (snapshots name unique files).
                try { return (await blob.DownloadContentAsync(ct).ConfigureAwait(false)).Value.Content.ToMemory().Span.SequenceEqual(data.Span); }
                catch (RequestFailedException r) when (r.Status == 404) { return false; }
            }
        }, ct).ConfigureAwait(false);
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
                catch (Exception e) when (StoreFailures.NeedsTranslation(e, ct)) { throw Failure(e, prefix); }
                foreach (var item in page.Values)
                    yield return new ObjectInfo(item.Name[_prefix.Length..], item.Properties.ContentLength ?? 0, item.Properties.LastModified ?? DateTimeOffset.MinValue);
            }
        }
        finally
        {
            await pages.DisposeAsync().ConfigureAwait(false);
        }
    }

    public Task DeleteAsync(string path, CancellationToken ct = default) => Guard(path, async () =>
        await Blob(path).DeleteIfExistsAsync(cancellationToken: ct).ConfigureAwait(false), ct);

    public Task<bool> ExistsAsync(string path, CancellationToken ct = default) => Guard(path, async () =>
        (await Blob(path).ExistsAsync(ct).ConfigureAwait(false)).Value, ct);

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
        catch (RequestFailedException e) when (e.Status is > 0 and < 500)
        {
            throw new TableStoreException($"Container '{_container.Name}' in storage account '{_container.AccountName}' could not be created or checked ({e.Status} {e.ErrorCode}): {FirstLine(e.Message)} Create it, or give the credentials the right to.", e);
        }
        catch (Exception e) when (StoreFailures.NeedsTranslation(e, ct))
        {
            throw Failure(e, $"container '{_container.Name}'");
        }
        _containerChecked = true;
    }

    /// <summary>
    /// Runs one request (the SDK has retried it already) and turns its failure into one the engine acts on: access
    /// denied is a <see cref="TableStoreException"/> that says what to grant; a server error or an unreachable server
    /// is an <see cref="IOException"/>, which the commit treats as an unknown outcome.
    /// </summary>
    private async Task<T> Guard<T>(string path, Func<Task<T>> call, CancellationToken ct)
    {
        try { return await call().ConfigureAwait(false); }
        catch (Exception e) when (StoreFailures.NeedsTranslation(e, ct))
        {
            throw Failure(e, path);
        }
    }

    private Exception Failure(Exception e, string path) => e switch
    {
        RequestFailedException { Status: 401 or 403 } r => new TableStoreException(
            $"Access to '{path}' in {Location} was denied ({r.Status} {r.ErrorCode}): check the connection string or the identity's role on container '{_container.Name}' (Storage Blob Data Contributor).", e),
        global::Azure.Identity.AuthenticationFailedException or global::Azure.Identity.CredentialUnavailableException => new TableStoreException(
            $"{Location}: no credentials for '{path}' ({FirstLine(e.Message)}). Set AZURE_STORAGE_CONNECTION_STRING, or give this host an identity DefaultAzureCredential finds (managed identity, AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET, Azure CLI login).", e),
        RequestFailedException { Status: > 0 } r => new IOException($"{Location}: '{path}' failed with {r.Status} {r.ErrorCode} after {_maxRetries} retries: {FirstLine(r.Message)}", e),
        // Retries of network failures end in an AggregateException of every attempt's failure.
        _ => new IOException($"{Location}: '{path}' could not be completed after {_maxRetries} retries ({FirstLine(Innermost(e).Message)}); the server may or may not have applied it.", e),
    };

    private static Exception Innermost(Exception e) => e is AggregateException { InnerExceptions.Count: > 0 } a ? Innermost(a.InnerExceptions[^1]) : e.InnerException is { } i ? Innermost(i) : e;

    /// <summary>Uploads of large blobs go as blocks (staged in parallel, then committed as one block list: atomic for readers).</summary>
    private BlobUploadOptions Upload(BlobRequestConditions? conditions) => new()
    {
        Conditions = conditions,
        TransferOptions = new global::Azure.Storage.StorageTransferOptions
        {
            InitialTransferSize = _blockSize,
            MaximumTransferSize = _blockSize,
            MaximumConcurrency = 4,
        },
    };

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
