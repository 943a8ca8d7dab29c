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

    [Fact]
    public async Task A_missing_bucket_is_named_when_creating_it_is_turned_off()
    {
        var bucket = "n" + Guid.NewGuid().ToString("N")[..20];
        var store = S3Warehouse.Open($"s3://{bucket}/wh", rgw.Settings with { Store = new() { CreateMissingContainer = false } });
        var error = await Assert.ThrowsAsync<TableStoreException>(() => store.PutAsync("x", new byte[1]));
        Assert.Contains($"Bucket '{bucket}' does not exist", error.Message);
        Assert.Empty(await store.ListAsync("").ToListAsync()); // reading a missing bucket is an empty warehouse
        await rgw.NewStore(bucket).PutAsync("x", new byte[1]); // created on first use when allowed
        await store.PutAsync("y", new byte[1]);
    }

    [Fact]
    public async Task Wrong_credentials_and_an_unreachable_endpoint_say_what_to_check()
    {
        var denied = S3Warehouse.Open($"s3://{Guid.NewGuid().ToString("N")[..20]}/wh", rgw.Settings with { SecretKey = "not-the-secret", Store = new() { CreateMissingContainer = false } });
        var error = await Assert.ThrowsAsync<TableStoreException>(() => denied.GetAsync("x"));
        Assert.Contains("denied", error.Message);
        Assert.Contains("AWS_ACCESS_KEY_ID", error.Message);

        var nowhere = S3Warehouse.Open("s3://somewhere/wh", rgw.Settings with { Endpoint = $"http://127.0.0.1:{LocalServers.FreePort()}", Store = new() { MaxRetries = 1 } });
        var unreachable = await Assert.ThrowsAsync<IOException>(() => nowhere.GetAsync("x"));
        Assert.Contains("after 1 retries", unreachable.Message);
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
            Store = Store(maxRetries, timeout, readBlockSize),
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
    // One bucket, a folder per run (a run per store call of the commit).
    private readonly string _bucket = "c" + Guid.NewGuid().ToString("N")[..20];

    protected override IObjectStore NewStore(int run) => rgw.NewStore(_bucket, $"run-{run}");
}
