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
