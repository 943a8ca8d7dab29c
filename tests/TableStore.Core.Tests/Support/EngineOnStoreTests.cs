using System.Collections.Concurrent;
using TableStore.Core.Data;
using TableStore.Core.IO;
using TableStore.Core.Scan;
using TableStore.Core.Schema;
using TableStore.Core.Table;

namespace TableStore.Core.Tests.Support;

/// <summary>The engine on a cloud store (the real protocol): the model test and racing committers, written once for every store.</summary>
public abstract class EngineOnStoreTests
{
    /// <summary>A store on a fresh container or bucket (or <paramref name="container"/>), through its own client, as another process would.</summary>
    protected abstract IObjectStore NewStore(string? container = null);

    protected abstract string StoreName { get; }

    [Fact]
    public async Task Writes_compactions_and_time_travel_match_the_model()
    {
        var table = await TestTables.CreateAsync(NewStore(), TestTables.Orders(2, new Dictionary<string, string> { [CoreOptions.CompactionTriggerKey] = "3" }));
        var model = new KeyedModel();
        var history = new List<(long, Dictionary<long, object?[]>)>();
        var random = new Random(91);
        for (int c = 0; c < 10; c++)
        {
            var rows = Enumerable.Range(0, random.Next(1, 20)).Select(_ =>
            {
                long id = random.Next(30);
                return random.Next(5) == 0 ? new ChangeRow(RowKind.Delete, [id, null, null, null]) : new ChangeRow(RowKind.Insert, [id, "c", (decimal)random.Next(100), null]);
            }).ToList();
            foreach (var r in rows) model.Apply(new ChangeRow(r.Kind, (object?[])r.Values.Clone()));
            history.Add(((await table.WriteAndCommitAsync(rows))!.SnapshotId, model.Copy()));
        }
        await table.CompactAsync(new CompactOptions { Full = true });
        KeyedModel.AssertSame(model.Rows, await (await table.ScanAsync(new ScanOptions())).ToListAsync(), $"latest on {StoreName}");
        foreach (var (id, state) in history)
            KeyedModel.AssertSame(state, await (await table.ScanAsync(new ScanOptions { SnapshotId = id })).ToListAsync(), $"snapshot {id} on {StoreName}");
    }

    [Fact]
    public async Task Racing_committers_through_separate_clients_each_land_exactly_once()
    {
        var container = "race" + Guid.NewGuid().ToString("N")[..20];
        var id = Identifier.Parse("db.race");
        await new Catalog(NewStore(container)).CreateTableAsync(id, TestTables.Orders(2, new Dictionary<string, string> { [CoreOptions.WriteOnlyKey] = "true" }));
        var committed = new ConcurrentBag<long>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var table = await new Catalog(NewStore(container)).GetTableAsync(id);
            for (int c = 1; c <= 4; c++)
            {
                var result = await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [(long)(w * 100 + c), $"w{w}", (decimal)c, null])],
                    new WriteOptions { CommitUser = $"writer-{w}", CommitIdentifier = c });
                committed.Add(result!.SnapshotId);
            }
        })));
        Assert.Equal(Enumerable.Range(1, 16).Select(i => (long)i), committed.Order());
        var reader = await new Catalog(NewStore(container)).GetTableAsync(id);
        Assert.Equal(16, (await (await reader.ScanAsync(new ScanOptions())).ToListAsync()).Count);
    }
}
