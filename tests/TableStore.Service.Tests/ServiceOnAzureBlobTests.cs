using System.Collections.Concurrent;
using TableStore.Abstractions;
using TableStore.Cli;
using TableStore.Client;
using TableStore.Core.Data;
using TableStore.Core.Manifest;
using TableStore.Core.Streaming;
using TableStore.Core.Tests.Support;
using TableStore.ObjectStores.Azure;
using TableStore.Service.Tests.Support;

namespace TableStore.Service.Tests;

/// <summary>
/// Two silos whose warehouse is an Azure Blob container on Azurite: the service as a user points it at the cloud,
/// by the warehouse URI and the standard connection-string variable, nothing else.
/// </summary>
public sealed class AzureBlobCluster() : ClusterFixture(2)
{
    private readonly AzuriteFixture _azurite = new();

    public string ConnectionString => _azurite.ConnectionString;

    protected override async Task<string> CreateWarehouseAsync()
    {
        await _azurite.InitializeAsync();
        // What a deployment sets in its environment (the silos open az:// warehouses as the server's do: ClusterFixture).
        Environment.SetEnvironmentVariable(AzureWarehouse.ConnectionStringVariable, _azurite.ConnectionString);
        return $"az://devstoreaccount1/svc{Guid.NewGuid().ToString("N")[..16]}/lake";
    }

    protected override async Task DeleteWarehouseAsync() => await _azurite.DisposeAsync();
}

public sealed class ServiceOnAzureBlobTests(AzureBlobCluster fixture) : IClassFixture<AzureBlobCluster>
{
    [Fact]
    public async Task Writes_scans_lookups_compaction_and_subscriptions_work_on_a_cloud_warehouse()
    {
        var client = fixture.Client;
        var table = Specs.NewTable("azure");
        await client.CreateTableAsync(table, Specs.Table("id BIGINT, v INT", ["id"], [], 2,
            new Dictionary<string, string> { ["num-sorted-run.compaction-trigger"] = "2", ["changelog-producer"] = "lookup" }));
        var received = new ConcurrentDictionary<long, ChangeBatch>();
        await using var subscription = await client.SubscribeAsync(table, b => { received[b.SnapshotId] = b; return Task.CompletedTask; },
            new SubscriptionOptions { Start = "earliest" });

        var model = new Dictionary<long, int>();
        var random = new Random(4);
        var written = new List<long>();
        for (int i = 0; i < 8; i++)
        {
            var rows = Enumerable.Range(0, 6).Select(_ => new ChangeRow(RowKind.Insert, [(long)random.Next(20), random.Next(1000)])).ToList();
            foreach (var r in rows) model[(long)r.Values[0]!] = (int)r.Values[1]!;
            written.Add((await client.WriteAsync(table, rows))!.SnapshotId);
        }

        var scan = await client.ScanAsync(table, new ScanOptions());
        var read = new Dictionary<long, int>();
        await foreach (var r in scan.Rows) read.Add((long)r[0]!, (int)r[1]!);
        Assert.Equal(model.OrderBy(kv => kv.Key), read.OrderBy(kv => kv.Key));
        foreach (var (key, value) in model.Take(5))
            Assert.Equal(value, (await client.LookupAsync(table, [key])).Row![1]);

        // Background compaction commits on the same container (COMPACT snapshots among the writes').
        for (int poll = 0; poll < 600 && !(await client.ListSnapshotsAsync(table)).Any(s => s.CommitKind == CommitKind.Compact); poll++)
            await Task.Delay(50);
        Assert.Contains(await client.ListSnapshotsAsync(table), s => s.CommitKind == CommitKind.Compact);

        // Every write's snapshot reached the subscriber; replaying its changes gives the table.
        for (int poll = 0; poll < 600 && !written.All(received.ContainsKey); poll++) await Task.Delay(50);
        var replayed = new Dictionary<long, int>();
        foreach (var batch in received.Values.OrderBy(b => b.SnapshotId))
            foreach (var row in batch.Rows)
                if (row.Kind is RowKind.Insert or RowKind.UpdateAfter) replayed[(long)row.Values[0]!] = (int)row.Values[1]!;
                else replayed.Remove((long)row.Values[0]!);
        Assert.Equal(model.OrderBy(kv => kv.Key), replayed.OrderBy(kv => kv.Key));

        // The CLI in embedded mode reads the same container, given the same one setting.
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await CliApp.RunAsync(["scan", table, "--warehouse", fixture.Warehouse, "--format", "csv"], new StringReader(""), stdout, stderr,
            new Dictionary<string, string?> { [AzureWarehouse.ConnectionStringVariable] = fixture.ConnectionString });
        Assert.True(code == 0, stderr.ToString());
        Assert.Equal(model.Count + 1, stdout.ToString().Trim().Split('\n').Length);
    }
}
