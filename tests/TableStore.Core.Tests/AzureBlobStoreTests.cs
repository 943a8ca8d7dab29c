using TableStore.Core.IO;
using TableStore.Core.Tests.Support;
using TableStore.ObjectStores.Azure;

namespace TableStore.Core.Tests;

/// <summary>The object-store contract on Azure Blob (Azurite, the real protocol), and the engine on it.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobObjectStoreTests(AzuriteFixture azurite) : ObjectStoreConformanceTests
{
    private readonly AzureBlobObjectStore _store = azurite.NewStore();

    protected override IObjectStore Store => _store;

    [Fact]
    public void Location_names_account_container_and_prefix() => Assert.StartsWith("az://devstoreaccount1/t", Store.Location);
}

[Collection(AzuriteCollection.Name)]
public sealed class EngineOnAzureBlobTests(AzuriteFixture azurite) : EngineOnStoreTests
{
    protected override IObjectStore NewStore(string? container = null) => azurite.NewStore(container);

    protected override string StoreName => "Azure";

    [Fact]
    public void Uris_are_checked()
    {
        Assert.Equal(("acct", "data", "lake/x"), AzureWarehouse.Parse("az://acct/data/lake/x/"));
        Assert.Contains("Invalid container name 'Bad_Name'", Assert.Throws<InvalidInputException>(() => AzureWarehouse.Parse("az://acct/Bad_Name")).Message);
        Assert.Throws<InvalidInputException>(() => AzureWarehouse.Parse("az://acct"));
        Assert.Throws<ArgumentException>(() => AzureWarehouse.Parse("az://acct/data/../x"));
    }

    [Fact]
    public async Task A_missing_container_is_named_when_creating_it_is_turned_off()
    {
        var container = "n" + Guid.NewGuid().ToString("N")[..20];
        var store = AzureWarehouse.Open($"az://devstoreaccount1/{container}/wh", new AzureWarehouse.Settings(azurite.ConnectionString, new() { CreateMissingContainer = false }));
        var error = await Assert.ThrowsAsync<TableStoreException>(() => store.PutAsync("x", new byte[1]));
        Assert.Contains($"Container '{container}' does not exist", error.Message);
        Assert.Empty(await store.ListAsync("").ToListAsync());
        await azurite.NewStore(container).PutAsync("x", new byte[1]);
        await store.PutAsync("y", new byte[1]);
    }

    [Fact]
    public async Task Wrong_credentials_and_an_unreachable_endpoint_say_what_to_check()
    {
        var wrongKey = System.Text.RegularExpressions.Regex.Replace(azurite.ConnectionString, "AccountKey=[^;]+", "AccountKey=" + Convert.ToBase64String(new byte[64]));
        var denied = AzureWarehouse.Open($"az://devstoreaccount1/{Guid.NewGuid().ToString("N")[..20]}/wh", new AzureWarehouse.Settings(wrongKey, new() { CreateMissingContainer = false }));
        var error = await Assert.ThrowsAsync<TableStoreException>(() => denied.GetAsync("x"));
        Assert.Contains("denied", error.Message);

        var elsewhere = azurite.ConnectionString.Replace(azurite.BlobEndpoint.ToString(), $"http://127.0.0.1:{LocalServers.FreePort()}/devstoreaccount1", StringComparison.Ordinal);
        var nowhere = AzureWarehouse.Open("az://devstoreaccount1/somewhere/wh", new AzureWarehouse.Settings(elsewhere, new() { MaxRetries = 1 }));
        var unreachable = await Assert.ThrowsAsync<IOException>(() => nowhere.GetAsync("x"));
        Assert.Contains("after 1 retries", unreachable.Message);
    }
}

[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobFaultTests(AzuriteFixture azurite) : StoreFaultTests
{
    protected override Uri Upstream => azurite.BlobEndpoint;

    protected override IObjectStore NewStore(string container, HttpFaultProxy? proxy, int? maxRetries = null, TimeSpan? timeout = null, int? readBlockSize = null) =>
        AzureWarehouse.Open($"az://devstoreaccount1/{container}/wh", new AzureWarehouse.Settings(
            proxy is null ? azurite.ConnectionString : azurite.ConnectionString.Replace(azurite.BlobEndpoint.ToString().TrimEnd('/'), proxy.Rewrite(azurite.BlobEndpoint.ToString()), StringComparison.Ordinal),
            Store(maxRetries, timeout, readBlockSize)));

    protected override HttpFault Throttle() => HttpFault.AzureServerBusy();

    protected override string PartMarker => "comp=block";
}

[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobRacingProcessesTests(AzuriteFixture azurite) : RacingProcessesTests
{
    protected override string NewWarehouse() => $"az://devstoreaccount1/r{Guid.NewGuid().ToString("N")[..20]}/lake";

    protected override IObjectStore Open(string uri) => AzureWarehouse.Open(uri, new AzureWarehouse.Settings(azurite.ConnectionString));

    protected override IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>
    {
        [AzureWarehouse.ConnectionStringVariable] = azurite.ConnectionString,
    };
}

[Collection(AzuriteCollection.Name)]
public sealed class CrashInjectionOnAzureBlobTests(AzuriteFixture azurite) : CrashInjectionTests
{
    protected override IObjectStore NewStore(int run) => azurite.NewStore();
}
