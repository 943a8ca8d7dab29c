using System.Collections.Concurrent;
using TableStore.Core.Data;
using TableStore.Core.IO;
using TableStore.Core.Scan;
using TableStore.Core.Schema;
using TableStore.Core.Table;
using TableStore.Core.Tests.Support;
using TableStore.Core.Utils;
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
public sealed class EngineOnAzureBlobTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Writes_compactions_and_time_travel_match_the_model()
    {
        var store = azurite.NewStore();
        var table = await TestTables.CreateAsync(store, TestTables.Orders(2, new Dictionary<string, string> { [CoreOptions.CompactionTriggerKey] = "3" }));
        var model = new KeyedModel();
        var history = new List<(long, Dictionary<long, object?[]>)>();
        var random = new Random(91);
        for (int c = 0; c < 12; c++)
        {
            var rows = Enumerable.Range(0, random.Next(1, 20)).Select(_ =>
            {
                long id = random.Next(30);
                return random.Next(5) == 0 ? new ChangeRow(RowKind.Delete, [id, null, null, null]) : new ChangeRow(RowKind.Insert, [id, "c", (decimal)random.Next(100), null]);
            }).ToList();
            foreach (var r in rows) model.Apply(new ChangeRow(r.Kind, (object?[])r.Values.Clone()));
            var result = (await table.WriteAndCommitAsync(rows))!;
            history.Add((result.SnapshotId, model.Copy()));
        }
        await table.CompactAsync(new CompactOptions { Full = true });
        KeyedModel.AssertSame(model.Rows, await (await table.ScanAsync(new ScanOptions())).ToListAsync(), "latest on Azure");
        foreach (var (id, state) in history)
            KeyedModel.AssertSame(state, await (await table.ScanAsync(new ScanOptions { SnapshotId = id })).ToListAsync(), $"snapshot {id} on Azure");
    }

    [Fact]
    public async Task Racing_committers_through_separate_clients_each_land_exactly_once()
    {
        var container = "race" + Guid.NewGuid().ToString("N")[..20];
        var id = Identifier.Parse("db.race");
        await new Catalog(azurite.NewStore(container)).CreateTableAsync(id, TestTables.Orders(2, new Dictionary<string, string> { [CoreOptions.WriteOnlyKey] = "true" }));
        var committed = new ConcurrentBag<long>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var table = await new Catalog(azurite.NewStore(container)).GetTableAsync(id); // its own client, as another process
            for (int c = 1; c <= 5; c++)
            {
                var result = await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [(long)(w * 100 + c), $"w{w}", (decimal)c, null])],
                    new WriteOptions { CommitUser = $"writer-{w}", CommitIdentifier = c });
                committed.Add(result!.SnapshotId);
            }
        })));
        var reader = await new Catalog(azurite.NewStore(container)).GetTableAsync(id);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), committed.Order());
        Assert.Equal(20, (await (await reader.ScanAsync(new ScanOptions())).ToListAsync()).Count);
    }

    [Fact]
    public void Uris_are_checked()
    {
        Assert.Equal(("acct", "data", "lake/x"), AzureWarehouse.Parse("az://acct/data/lake/x/"));
        Assert.Contains("Invalid container name 'Bad_Name'", Assert.Throws<InvalidInputException>(() => AzureWarehouse.Parse("az://acct/Bad_Name")).Message);
        Assert.Throws<InvalidInputException>(() => AzureWarehouse.Parse("az://acct"));
        Assert.Throws<ArgumentException>(() => AzureWarehouse.Parse("az://acct/data/../x"));
    }
}
