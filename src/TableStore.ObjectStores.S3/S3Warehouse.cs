using Amazon.Runtime;
using Amazon.S3;
using TableStore.Core;
using TableStore.Core.IO;

namespace TableStore.ObjectStores.S3;

/// <summary>
/// Opens <c>s3://bucket/prefix</c> warehouses the AWS way: endpoint from <c>AWS_ENDPOINT_URL_S3</c> or
/// <c>AWS_ENDPOINT_URL</c> (path-style addressing for such custom endpoints), region from <c>AWS_REGION</c>,
/// credentials from <c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c> or the SDK's default chain (profiles,
/// instance and container roles).
/// </summary>
public static class S3Warehouse
{
    public const string Scheme = "s3";
    public const string CreateBucketVariable = "TABLESTORE_CREATE_BUCKET";

    /// <summary>What the environment should not decide (tests, tools). Nulls fall back to the AWS environment variables.</summary>
    /// <param name="Store">Retries, timeouts, part and read sizes, bucket creation; null: the defaults.</param>
    public sealed record Settings(string? Endpoint = null, string? Region = null, string? AccessKey = null, string? SecretKey = null, ObjectStoreOptions? Store = null);

    public static S3ObjectStore Open(string uri, Settings? settings = null)
    {
        var (bucket, prefix) = Parse(uri);
        settings ??= new Settings();
        var store = (settings.Store ?? new ObjectStoreOptions()).Validate();
        var endpoint = settings.Endpoint ?? Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_S3") ?? Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL");
        var region = settings.Region ?? Environment.GetEnvironmentVariable("AWS_REGION") ?? "us-east-1";
        var config = new AmazonS3Config
        {
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = store.MaxRetries,
            Timeout = store.RequestTimeout,
            // Checksums only where S3 requires them: S3-compatible servers do not all speak the newer trailers.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (!string.IsNullOrWhiteSpace(endpoint))
        {
            config.ServiceURL = endpoint;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = region;
        }
        else config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
        var key = settings.AccessKey ?? Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID");
        var secret = settings.SecretKey ?? Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
        var client = key is not null && secret is not null ? new AmazonS3Client(new BasicAWSCredentials(key, secret), config) : new AmazonS3Client(config);
        return new S3ObjectStore(client, bucket, prefix, store.CreatesMissingContainer(CreateBucketVariable), store.MaxRetries, store.UploadPartSize, store.ReadBlockSize);
    }

    public static (string Bucket, string Prefix) Parse(string uri)
    {
        const string head = Scheme + "://";
        if (!uri.StartsWith(head, StringComparison.OrdinalIgnoreCase))
            throw new InvalidInputException($"'{uri}' is not an S3 warehouse URI: expected s3://<bucket>[/prefix].");
        var parts = uri[head.Length..].Split('/', 2);
        if (!System.Text.RegularExpressions.Regex.IsMatch(parts[0], "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"))
            throw new InvalidInputException($"Invalid bucket name '{parts[0]}' in '{uri}': 3 to 63 lower-case letters, digits, '.' and '-'.");
        var prefix = parts.Length > 1 ? parts[1].Trim('/') : "";
        if (prefix.Length > 0) ObjectPaths.Validate(prefix);
        return (parts[0], prefix);
    }
}
