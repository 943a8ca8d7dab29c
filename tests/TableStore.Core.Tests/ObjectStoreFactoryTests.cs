using TableStore.Core.Api;
using TableStore.Core.IO;

namespace TableStore.Core.Tests;

/// <summary>Warehouses are opened by the stores a factory is given, not by a registry every host fills.</summary>
public sealed class ObjectStoreFactoryTests
{
    private sealed class MemoryOpener(string scheme) : IWarehouseOpener
    {
        public List<(string Uri, ObjectStoreOptions Options)> Opened { get; } = [];

        public string Scheme => scheme;

        public IObjectStore Open(string uri, ObjectStoreOptions options)
        {
            Opened.Add((uri, options));
            return new InMemoryObjectStore();
        }
    }

    [Fact]
    public void A_scheme_opens_with_its_opener_and_validated_options_and_is_counted()
    {
        var opener = new MemoryOpener("mem2");
        var options = new ObjectStoreOptions { MaxRetries = 3 };
        var store = new ObjectStoreFactory(opener).Open("MEM2://lake/wh", options);
        Assert.IsType<CountingObjectStore>(store);
        Assert.Equal([("MEM2://lake/wh", options)], opener.Opened);
        Assert.Contains("ObjectStore:MaxRetries", Assert.Throws<InvalidInputException>(() =>
            new ObjectStoreFactory(opener).Open("mem2://lake/wh", new ObjectStoreOptions { MaxRetries = -1 })).Message);
        Assert.Single(opener.Opened);
    }

    [Fact]
    public void An_unregistered_scheme_is_named_with_what_is_supported()
    {
        var unknown = Assert.Throws<InvalidInputException>(() => new ObjectStoreFactory(new MemoryOpener("mem2")).Open("gs://bucket/wh")).Message;
        Assert.StartsWith("Unsupported warehouse URI scheme 'gs' in 'gs://bucket/wh': supported are a local path, file://, mem2://.", unknown);
        // A store that exists but was not given to the factory: the message says what adds it.
        var s3 = Assert.Throws<InvalidInputException>(() => ObjectStoreFactory.Local.Open("s3://bucket/wh")).Message;
        Assert.Contains("Unsupported warehouse URI scheme 's3'", s3);
        Assert.Contains("AddS3Warehouses()", s3);
        Assert.Contains("AddAzureWarehouses()", Assert.Throws<InvalidInputException>(() => ObjectStoreExtensions.OpenWarehouse("az://acct/c/wh")).Message);
        Assert.Contains("scheme 'az'", Assert.Throws<InvalidInputException>(() => new EmbeddedTableStore("az://acct/c/wh")).Message);
    }

    [Fact]
    public void Memory_warehouses_are_a_test_store_a_test_registers()
    {
        // Not built into the product: a factory without the test opener refuses memory:// and says what adds it.
        var refused = Assert.Throws<InvalidInputException>(() => ObjectStoreFactory.Local.Open("memory://")).Message;
        Assert.Contains("Unsupported warehouse URI scheme 'memory'", refused);
        Assert.Contains("MemoryWarehouseOpener", refused);
        // With it, each open is a new, empty store, counted like any other.
        var factory = new ObjectStoreFactory(new MemoryWarehouseOpener());
        Assert.Equal(["memory"], factory.Schemes);
        var store = Assert.IsType<CountingObjectStore>(factory.Open("memory://"));
        Assert.Equal("memory://", store.Location);
        Assert.IsType<InMemoryObjectStore>(store.Inner);
        Assert.NotSame(store.Inner, ((CountingObjectStore)factory.Open("memory://")).Inner);
    }

    [Fact]
    public void The_cloud_openers_open_their_schemes()
    {
        var factory = new ObjectStoreFactory(new ObjectStores.Azure.AzureWarehouseOpener(), new ObjectStores.S3.S3WarehouseOpener());
        Assert.Equal(["az", "s3"], factory.Schemes);
        Assert.Throws<ArgumentException>(() => new ObjectStoreFactory(new MemoryOpener("file")));
        Assert.Throws<ArgumentException>(() => new ObjectStoreFactory(new MemoryOpener("s3"), new ObjectStores.S3.S3WarehouseOpener()));
    }

    [Fact]
    public async Task The_embedded_store_opens_a_warehouse_through_the_factory_it_is_given()
    {
        var opener = new MemoryOpener("mem2");
        await using var store = new EmbeddedTableStore("mem2://lake", new ObjectStoreFactory(opener));
        Assert.Empty(await store.ListTablesAsync(CancellationToken.None));
        Assert.Equal("mem2://lake", Assert.Single(opener.Opened).Uri);
    }
}
