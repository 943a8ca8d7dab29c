using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using TableStore.Core;
using TableStore.Core.IO;

namespace TableStore.ObjectStores.S3;

/// <summary>
/// A warehouse in an S3 bucket, under a prefix. A PUT is atomic for readers; put-if-absent is a PUT with
/// <c>If-None-Match: *</c>, which S3 (and Ceph's RADOS Gateway) apply atomically: of racing creators exactly one
/// succeeds, so commits need no lock. The SDK retries 5xx, 503 SlowDown and timeouts with backoff.
/// </summary>
public sealed class S3ObjectStore : IObjectStore
{
    private readonly IAmazonS3 _s3;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly bool _createBucket;
    private readonly int _maxRetries;
    private readonly int _partSize;
    private volatile bool _bucketChecked;

    /// <param name="maxRetries">How often the client retries a request, for messages.</param>
    /// <param name="partSize">Objects larger than this are uploaded in parts of this size.</param>
    /// <param name="readBlockSize">Data files larger than this are read in ranges.</param>
    public S3ObjectStore(IAmazonS3 s3, string bucket, string prefix, bool createBucket = true, int maxRetries = 6, int partSize = 16 << 20, int readBlockSize = 8 << 20)
    {
        RangeReadBlockSize = readBlockSize;
        _maxRetries = maxRetries;
        _partSize = partSize;
        _s3 = s3;
        _bucket = bucket;
        _prefix = prefix.Trim('/').Length == 0 ? "" : prefix.Trim('/') + "/";
        _createBucket = createBucket;
        Location = $"s3://{bucket}/{_prefix}";
    }

    public string Location { get; }

    public int? RangeReadBlockSize { get; }

    private string Key(string path) => _prefix + ObjectPaths.Validate(path);

    public Task<byte[]> GetAsync(string path, CancellationToken ct = default) => Guard(path, async () =>
    {
        try
        {
            using var response = await _s3.GetObjectAsync(_bucket, Key(path), ct).ConfigureAwait(false);
            return await ReadAllAsync(response, ct).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound) { throw new ObjectNotFoundException(Location, path); }
    }, ct);

    public async Task<byte[]> GetRangeAsync(string path, long offset, int length, CancellationToken ct = default)
    {
        if (length <= 0) return [];
        return await Guard(path, async () =>
        {
            try
            {
                using var response = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = Key(path), ByteRange = new ByteRange(offset, offset + length - 1) }, ct).ConfigureAwait(false);
                return await ReadAllAsync(response, ct).ConfigureAwait(false);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                // Past the end: nothing, as for the other stores (but only if the object exists).
                if (!await ExistsAsync(path, ct).ConfigureAwait(false)) throw new ObjectNotFoundException(Location, path);
                return [];
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound) { throw new ObjectNotFoundException(Location, path); }
        }, ct).ConfigureAwait(false);
    }

    private static async Task<byte[]> ReadAllAsync(GetObjectResponse response, CancellationToken ct)
    {
        using var buffer = new MemoryStream(response.ContentLength > 0 ? (int)Math.Min(response.ContentLength, int.MaxValue) : 0);
        await response.ResponseStream.CopyToAsync(buffer, ct).ConfigureAwait(false);
        return buffer.ToArray();
    }

    public async Task PutAsync(string path, ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        await EnsureBucketAsync(ct).ConfigureAwait(false);
        await Guard(path, async () =>
        {
            if (data.Length > _partSize) await PutInPartsAsync(path, data, ct).ConfigureAwait(false);
            else await _s3.PutObjectAsync(Request(path, data), ct).ConfigureAwait(false);
            return true;
        }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// A multipart upload: parts go in parallel (each retried on its own), and the object appears whole when the
    /// upload is completed, so readers never see part of it. A failed upload is aborted, leaving nothing behind.
    /// </summary>
    private async Task PutInPartsAsync(string path, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        var key = Key(path);
        var upload = await _s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _bucket, Key = key }, ct).ConfigureAwait(false);
        try
        {
            int parts = (int)((data.Length + (long)_partSize - 1) / _partSize);
            var etags = new PartETag[parts];
            using var slots = new SemaphoreSlim(4);
            await Task.WhenAll(Enumerable.Range(0, parts).Select(async i =>
            {
                await slots.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    var slice = data.Slice(i * _partSize, Math.Min(_partSize, data.Length - i * _partSize));
                    var response = await _s3.UploadPartAsync(new UploadPartRequest
                    {
                        BucketName = _bucket,
                        Key = key,
                        UploadId = upload.UploadId,
                        PartNumber = i + 1,
                        InputStream = new MemoryStream(slice.ToArray(), writable: false),
                        UseChunkEncoding = false,
                    }, ct).ConfigureAwait(false);
                    etags[i] = new PartETag(i + 1, response.ETag);
                }
                finally { slots.Release(); }
            })).ConfigureAwait(false);
            await _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = _bucket, Key = key, UploadId = upload.UploadId, PartETags = [.. etags] }, ct).ConfigureAwait(false);
        }
        catch
        {
            try { await _s3.AbortMultipartUploadAsync(_bucket, key, upload.UploadId, CancellationToken.None).ConfigureAwait(false); }
            catch (Exception) { /* the bucket's lifecycle rule for incomplete uploads removes it */ }
            throw;
        }
    }

    public async Task<bool> PutIfAbsentAsync(string path, ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        await EnsureBucketAsync(ct).ConfigureAwait(false);
        var request = Request(path, data);
        request.IfNoneMatch = "*";
        return await Guard(path, async () =>
        {
            try
            {
                await _s3.PutObjectAsync(request, ct).ConfigureAwait(false);
                return true;
            }
            catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
            {
                // A retry of a PUT whose reply was lost is refused as "exists": identical content means it was ours.
                try { return (await GetAsync(path, ct).ConfigureAwait(false)).AsSpan().SequenceEqual(data.Span); }
                catch (ObjectNotFoundException) { return false; }
            }
        }, ct).ConfigureAwait(false);
    }

    private PutObjectRequest Request(string path, ReadOnlyMemory<byte> data) => new()
    {
        BucketName = _bucket,
        Key = Key(path),
        InputStream = new MemoryStream(data.ToArray(), writable: false),
        AutoCloseStream = true,
        // One signed payload, not aws-chunked: S3-compatible servers (Ceph's RGW) reject chunked conditional PUTs.
        UseChunkEncoding = false,
    };

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (prefix.Length > 0) ObjectPaths.Validate(prefix.TrimEnd('/'));
        string? token = null;
        do
        {
            ListObjectsV2Response page;
            var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix + prefix, ContinuationToken = token };
            page = await Guard(prefix, async () =>
            {
                // No bucket yet: nothing.
                try { return await _s3.ListObjectsV2Async(request, ct).ConfigureAwait(false); }
                catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound) { return new ListObjectsV2Response(); }
            }, ct).ConfigureAwait(false);
            foreach (var o in page.S3Objects ?? [])
                yield return new ObjectInfo(o.Key[_prefix.Length..], o.Size ?? 0, o.LastModified is { } m ? new DateTimeOffset(m.ToUniversalTime()) : DateTimeOffset.MinValue);
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
    }

    public Task DeleteAsync(string path, CancellationToken ct = default) => Guard(path, async () =>
    {
        try { await _s3.DeleteObjectAsync(_bucket, Key(path), ct).ConfigureAwait(false); }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound) { }
        return true;
    }, ct);

    public Task<bool> ExistsAsync(string path, CancellationToken ct = default) => Guard(path, async () =>
    {
        try
        {
            await _s3.GetObjectMetadataAsync(_bucket, Key(path), ct).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound) { return false; }
    }, ct);

    private async Task EnsureBucketAsync(CancellationToken ct)
    {
        if (_bucketChecked) return;
        try
        {
            try { await _s3.GetBucketLocationAsync(_bucket, ct).ConfigureAwait(false); }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                if (!_createBucket)
                    throw new TableStoreException($"Bucket '{_bucket}' does not exist, and creating buckets is turned off (create it, or allow creation).");
                try { await _s3.PutBucketAsync(_bucket, ct).ConfigureAwait(false); }
                catch (AmazonS3Exception c) when (c.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists") { }
            }
        }
        catch (AmazonS3Exception e) when ((int)e.StatusCode is > 0 and < 500)
        {
            throw new TableStoreException($"Bucket '{_bucket}' could not be created or checked ({(int)e.StatusCode} {e.ErrorCode}): {e.Message} Create it, or give the credentials the right to.", e);
        }
        catch (Exception e) when (StoreFailures.NeedsTranslation(e, ct))
        {
            throw Failure(e, $"bucket '{_bucket}'");
        }
        _bucketChecked = true;
    }

    /// <summary>
    /// Runs one request (the SDK has retried it already) and turns its failure into one the engine acts on: access
    /// denied and missing configuration are <see cref="TableStoreException"/>s that say what to fix; a server error
    /// or an unreachable server is an <see cref="IOException"/>, which the commit treats as an unknown outcome.
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
        AmazonS3Exception { StatusCode: HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized } s3 =>
            new TableStoreException($"Access to '{path}' in {Location} was denied ({(int)s3.StatusCode} {s3.ErrorCode}): check the credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, profile or role) and their policy on bucket '{_bucket}'.", e),
        AmazonServiceException { StatusCode: > 0 } s =>
            new IOException($"{Location}: '{path}' failed with {(int)s.StatusCode} {s.ErrorCode} after {_maxRetries} retries: {s.Message}", e),
        _ when IsTransport(e) =>
            new IOException($"{Location}: '{path}' could not be completed after {_maxRetries} retries ({e.GetType().Name}: {e.Message}); the server may or may not have applied it.", e),
        _ => new TableStoreException(
            $"{Location}: '{path}' could not be requested: {e.Message} Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or a profile or role), and AWS_ENDPOINT_URL_S3 for an S3-compatible server.", e),
    };

    /// <summary>A failure of the connection rather than of the configuration: retried by the SDK, unknown outcome after.</summary>
    private static bool IsTransport(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is IOException or HttpRequestException or System.Net.Sockets.SocketException or TimeoutException or OperationCanceledException) return true;
        return false;
    }
}
