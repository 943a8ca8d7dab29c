using TableStore.Core.IO;
using TableStore.Core.Tests.Support;
using TableStore.ObjectStores.S3;

namespace TableStore.Core.Tests;

/// <summary>The object-store contract on S3 (Ceph's RADOS Gateway, which honours If-None-Match), and the engine on it.</summary>
[Collection(RadosGatewayCollection.Name)]
public sealed class S3ObjectStoreTests(RadosGatewayFixture rgw) : ObjectStoreConformanceTests
{
    private readonly S3ObjectStore _store = rgw.NewStore();

    protected override IObjectStore Store => _store;
}

[Collection(RadosGatewayCollection.Name)]
public sealed class EngineOnS3Tests(RadosGatewayFixture rgw) : EngineOnStoreTests
{
    protected override IObjectStore NewStore(string? container = null) => rgw.NewStore(container);

    protected override string StoreName => "S3";

    [Fact]
    public void Uris_are_checked()
    {
        Assert.Equal(("lake", "prod/x"), S3Warehouse.Parse("s3://lake/prod/x/"));
        Assert.Contains("Invalid bucket name 'Bad_Bucket'", Assert.Throws<InvalidInputException>(() => S3Warehouse.Parse("s3://Bad_Bucket")).Message);
        Assert.Throws<ArgumentException>(() => S3Warehouse.Parse("s3://lake/../x"));
    }
}

[Collection(RadosGatewayCollection.Name)]
public sealed class S3FaultTests(RadosGatewayFixture rgw) : StoreFaultTests
{
    protected override Uri Upstream => new(rgw.Settings.Endpoint!);

    protected override IObjectStore NewStore(string container, HttpFaultProxy? proxy, int? maxRetries = null, TimeSpan? timeout = null, int? readBlockSize = null) =>
        S3Warehouse.Open($"s3://{container}/wh", rgw.Settings with
        {
            Endpoint = proxy is null ? rgw.Settings.Endpoint : proxy.Rewrite(rgw.Settings.Endpoint!),
            MaxRetries = maxRetries,
            Timeout = timeout,
            PartSize = S3Warehouse.MinPartSize,
            ReadBlockSize = readBlockSize,
        });

    protected override HttpFault Throttle() => HttpFault.S3SlowDown();

    protected override string PartMarker => "partNumber=";
}

[Collection(RadosGatewayCollection.Name)]
public sealed class S3RacingProcessesTests(RadosGatewayFixture rgw) : RacingProcessesTests
{
    protected override string NewWarehouse() => $"s3://r{Guid.NewGuid().ToString("N")[..20]}/lake";

    protected override IObjectStore Open(string uri) => S3Warehouse.Open(uri, rgw.Settings);

    // The AWS conventions the CLI follows: endpoint, credentials and region from the environment.
    protected override IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>
    {
        ["AWS_ENDPOINT_URL_S3"] = rgw.Settings.Endpoint,
        ["AWS_ACCESS_KEY_ID"] = rgw.Settings.AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = rgw.Settings.SecretKey,
        ["AWS_REGION"] = rgw.Settings.Region,
    };
}

[Collection(RadosGatewayCollection.Name)]
public sealed class CrashInjectionOnS3Tests(RadosGatewayFixture rgw) : CrashInjectionTests
{
    // One bucket, a folder per run: creating a bucket costs radosgw more than the whole run's requests.
    private readonly string _bucket = "c" + Guid.NewGuid().ToString("N")[..20];

    protected override IObjectStore NewStore(int run) => rgw.NewStore(_bucket, $"run-{run}");
}
