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
}

[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobFaultTests(AzuriteFixture azurite) : StoreFaultTests
{
    protected override Uri Upstream => azurite.BlobEndpoint;

    protected override IObjectStore NewStore(string container, HttpFaultProxy? proxy, int? maxRetries = null, TimeSpan? timeout = null, int? readBlockSize = null) =>
        AzureWarehouse.Open($"az://devstoreaccount1/{container}/wh", new AzureWarehouse.Settings(
            proxy is null ? azurite.ConnectionString : azurite.ConnectionString.Replace(azurite.BlobEndpoint.ToString().TrimEnd('/'), proxy.Rewrite(azurite.BlobEndpoint.ToString()), StringComparison.Ordinal),
            MaxRetries: maxRetries, Timeout: timeout, BlockSize: 4 << 20, ReadBlockSize: readBlockSize));

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
