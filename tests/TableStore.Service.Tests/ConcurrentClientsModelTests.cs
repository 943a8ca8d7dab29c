using TableStore.Abstractions;
using TableStore.Core.Data;
using TableStore.Service.Tests.Support;

namespace TableStore.Service.Tests;

/// <summary>
/// 16 clients write random upserts and deletes at once through 3 silos. Each client owns its keys, so each key's
/// history is one client's sequence of acknowledged writes: the model. The table must equal the model, and lookups
/// must agree with scans after every commit.
/// </summary>
[Collection(ThreeSiloCollection.Name)]
public sealed class ConcurrentClientsModelTests(ThreeSiloCluster fixture)
{
    private const int Clients = 16;
    private const int WritesPerClient = 12;
    private const int KeysPerClient = 20;

    [Theory]
    [InlineData(1, 4)]
    [InlineData(2, 16)]
    public async Task Sixteen_clients_end_in_the_model_state(int seed, int buckets)
    {
        var client = fixture.Client;
        var table = Specs.NewTable("model");
        await client.CreateTableAsync(table, Specs.AllTypes(buckets));
        var models = new Dictionary<(string, long), object?[]>[Clients];
        long acknowledged = 0;

        await Task.WhenAll(Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            var random = new Random(seed * 1000 + c);
            var model = models[c] = [];
            for (int w = 0; w < WritesPerClient; w++)
            {
                var rows = new List<ChangeRow>();
                var batch = new Dictionary<(string, long), object?[]?>();
                int n = random.Next(1, 15);
                for (int i = 0; i < n; i++)
                {
                    var region = random.Next(2) == 0 ? "eu" : "us";
                    long id = c * 1000 + random.Next(KeysPerClient);
                    if (random.Next(5) == 0)
                    {
                        rows.Add(Specs.Delete(Specs.AllTypesRow(region, id, 0)));
                        batch[(region, id)] = null;
                    }
                    else
                    {
                        var values = Specs.AllTypesRow(region, id, random.Next(1_000_000));
                        batch[(region, id)] = (object?[])values.Clone();
                        rows.Add(Specs.Upsert(values));
                    }
                }
                var result = await client.WriteAsync(table, rows);
                Assert.NotNull(result);
                Interlocked.Increment(ref acknowledged);
                foreach (var (k, v) in batch)
                {
                    if (v is null) model.Remove(k);
                    else model[k] = v;
                }
                // Read your own writes: a lookup right after the write sees it.
                var (key, expected) = batch.First();
                var hit = await client.LookupAsync(table, [key.Item1, key.Item2]);
                Assert.Equal(expected, hit.Row);
            }
        })));

        Assert.Equal(Clients * WritesPerClient, acknowledged);
        var merged = models.SelectMany(m => m).ToDictionary(kv => kv.Key, kv => kv.Value);
        var scan = await client.ScanAsync(table, new ScanOptions());
        var rowsRead = new List<object?[]>();
        await foreach (var r in scan.Rows) rowsRead.Add(r);
        Assert.Equal(merged.Count, rowsRead.Count);
        foreach (var row in rowsRead)
            Assert.Equal(merged[((string)row[0]!, (long)row[1]!)], row);
        var random = new Random(seed);
        for (int i = 0; i < 200; i++)
        {
            var key = (random.Next(2) == 0 ? "eu" : "us", (long)(random.Next(Clients) * 1000 + random.Next(KeysPerClient + 2)));
            var hit = await client.LookupAsync(table, [key.Item1, key.Item2], scan.SnapshotId);
            Assert.Equal(merged.GetValueOrDefault(key), hit.Row);
        }
    }

    [Fact]
    public async Task Lookups_agree_with_scans_after_every_commit()
    {
        var client = fixture.Client;
        var table = Specs.NewTable("agree");
        await client.CreateTableAsync(table, Specs.AllTypes(buckets: 3));
        var random = new Random(7);
        for (int commit = 0; commit < 15; commit++)
        {
            var rows = Enumerable.Range(0, random.Next(1, 30)).Select(_ =>
            {
                var values = Specs.AllTypesRow(random.Next(3) == 0 ? "eu" : "us", random.Next(60), random.Next(1000));
                return random.Next(4) == 0 ? Specs.Delete(values) : Specs.Upsert(values);
            }).ToList();
            var result = await client.WriteAsync(table, rows);
            var scan = await client.ScanAsync(table, new ScanOptions { SnapshotId = result!.SnapshotId });
            var state = new Dictionary<(string, long), object?[]>();
            await foreach (var r in scan.Rows) state[((string)r[0]!, (long)r[1]!)] = r;
            foreach (var region in new[] { "eu", "us" })
                for (long id = 0; id < 62; id += 1 + random.Next(3))
                {
                    var hit = await client.LookupAsync(table, [region, id], result.SnapshotId);
                    Assert.Equal(state.GetValueOrDefault((region, id)), hit.Row);
                }
        }
    }
}
