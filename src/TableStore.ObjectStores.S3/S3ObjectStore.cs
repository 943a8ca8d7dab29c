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
    private volatile bool _bucketChecked;

    public S3ObjectStore(IAmazonS3 s3, string bucket, string prefix, bool createBucket = true)
    {
        _s3 = s3;
        _bucket = bucket;
        _prefix = prefix.Trim('/').Length == 0 ? "" : prefix.Trim('/') + "/";
        _createBucket = createBucket;
        Location = $"s3://{bucket}/{_prefix}";
    }

    public string Location { get; }

    private string Key(string path) => _prefix + ObjectPaths.Validate(path);

    public async Task<byte[]> GetAsync(string path, CancellationToken ct = default)
    {
        try
        {
            using var response = await _s3.GetObjectAsync(_bucket, Key(path), ct).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, ct).ConfigureAwait(false);
            return buffer.ToArray();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound) { throw new ObjectNotFoundException(Location, path); }
        catch (AmazonS3Exception e) { throw Translate(e, path); }
        catch (AmazonClientException e) { throw ClientError(e, path); }
    }

    public async Task<byte[]> GetRangeAsync(string path, long offset, int length, CancellationToken ct = default)
    {
        if (length <= 0) return [];
        try
        {
            using var response = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = Key(path), ByteRange = new ByteRange(offset, offset + length - 1) }, ct).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, ct).ConfigureAwait(false);
            return buffer.ToArray();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            if (!await ExistsAsync(path, ct).ConfigureAwait(false)) throw new ObjectNotFoundException(Location, path);
            return [];
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound) { throw new ObjectNotFoundException(Location, path); }
        catch (AmazonS3Exception e) { throw Translate(e, path); }
        catch (AmazonClientException e) { throw ClientError(e, path); }
    }

    public async Task PutAsync(string path, ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        await EnsureBucketAsync(ct).ConfigureAwait(false);
        try { await _s3.PutObjectAsync(Request(path, data), ct).ConfigureAwait(false); }
        catch (AmazonS3Exception e) { throw Translate(e, path); }
        catch (AmazonClientException e) { throw ClientError(e, path); }
    }

    public async Task<bool> PutIfAbsentAsync(string path, ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        await EnsureBucketAsync(ct).ConfigureAwait(false);
        var request = Request(path, data);
        request.IfNoneMatch = "*";
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
        catch (AmazonS3Exception e) { throw Translate(e, path); }
        catch (AmazonClientException e) { throw ClientError(e, path); }
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
            try { page = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix + prefix, ContinuationToken = token }, ct).ConfigureAwait(false); }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound) { yield break; } // no bucket yet: nothing
            catch (AmazonS3Exception e) { throw Translate(e, prefix); }
            catch (AmazonClientException e) { throw ClientError(e, prefix); }
            foreach (var o in page.S3Objects ?? [])
                yield return new ObjectInfo(o.Key[_prefix.Length..], o.Size ?? 0, o.LastModified is { } m ? new DateTimeOffset(m.ToUniversalTime()) : DateTimeOffset.MinValue);
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
    }

    public async Task DeleteAsync(string path, CancellationToken ct = default)
    {
        try { await _s3.DeleteObjectAsync(_bucket, Key(path), ct).ConfigureAwait(false); }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound) { }
        catch (AmazonS3Exception e) { throw Translate(e, path); }
        catch (AmazonClientException e) { throw ClientError(e, path); }
    }

    public async Task<bool> ExistsAsync(string path, CancellationToken ct = default)
    {
        try
        {
            await _s3.GetObjectMetadataAsync(_bucket, Key(path), ct).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound) { return false; }
        catch (AmazonS3Exception e) { throw Translate(e, path); }
        catch (AmazonClientException e) { throw ClientError(e, path); }
    }

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
        catch (AmazonS3Exception e)
        {
            throw new TableStoreException($"Bucket '{_bucket}' could not be created or checked ({(int)e.StatusCode} {e.ErrorCode}): {e.Message} Create it, or give the credentials the right to.", e);
        }
        _bucketChecked = true;
    }

    /// <summary>The SDK failed before a response: no credentials, no endpoint, no network.</summary>
    private TableStoreException ClientError(AmazonClientException e, string path) => new(
        $"{Location}: '{path}' could not be requested: {e.Message} Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or a profile or role), and AWS_ENDPOINT_URL_S3 for an S3-compatible server.", e);

    private Exception Translate(AmazonS3Exception e, string path) => e.StatusCode switch
    {
        HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized =>
            new TableStoreException($"Access to '{path}' in {Location} was denied ({(int)e.StatusCode} {e.ErrorCode}): check the credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, profile or role) and their policy on bucket '{_bucket}'.", e),
        _ => new IOException($"{Location}: '{path}' failed with {(int)e.StatusCode} {e.ErrorCode}: {e.Message}", e),
    };
}
