using TableStore.Cli.Tests.Support;

namespace TableStore.Cli.Tests;

/// <summary><c>tablestore lookup</c> in embedded mode (cluster mode is covered by the service tests).</summary>
public sealed class LookupCommandTests : CliTestBase
{
    private async Task SeedAsync()
    {
        await OkAsync("table", "create", Orders, "--schema", OrdersSchema, "--primary-key", "id", "--buckets", "3");
        await OkWithInputAsync(SeedCsv, "write", Orders);
        await OkWithInputAsync("_op,id,customer,amount,qty,day\n-D,2,,,0,\n+U,1,alice,11.00,1,2024-05-01\n", "write", Orders);
    }

    [Fact]
    public async Task Prints_the_row_in_each_format_at_the_latest_or_a_given_snapshot()
    {
        await SeedAsync();
        var csv = await OkAsync("lookup", Orders, "--key", "id=1", "--format", "csv");
        Assert.Equal("id,customer,amount,qty,day\n1,alice,11.00,1,2024-05-01\n", csv.Stdout);

        var json = await OkAsync("lookup", Orders, "--key", "ID = 3", "--format", "jsonl");
        Assert.Equal("{\"id\":3,\"customer\":\"carol, jr\",\"amount\":\"-3.25\",\"qty\":3,\"day\":null}\n", json.Stdout);

        var old = await OkAsync("lookup", Orders, "--key", "id=1", "--snapshot", "1", "--format", "csv");
        Assert.Equal("id,customer,amount,qty,day\n1,alice,10.50,1,2024-05-01\n", old.Stdout);

        var grid = await OkAsync("lookup", Orders, "--key", "id=1");
        Assert.Contains("alice", grid.Stdout);
        Assert.Contains("(1 row, snapshot 2)", grid.Stderr);
    }

    [Fact]
    public async Task Nothing_found_exits_zero_with_a_note_on_stderr()
    {
        await SeedAsync();
        var deleted = await OkAsync("lookup", Orders, "--key", "id=2", "--format", "csv");
        Assert.Equal("", deleted.Stdout);
        Assert.Equal("No row with key id=2 in shop.orders (snapshot 2).\n", deleted.Stderr);
        var before = await OkAsync("lookup", Orders, "--key", "id=2", "--snapshot", "1", "--format", "csv");
        Assert.Contains("2,bob", before.Stdout);
        Assert.Equal("", (await OkAsync("lookup", Orders, "--key", "id=999")).Stdout);
    }

    [Fact]
    public async Task Bad_keys_and_tables_say_what_is_wrong()
    {
        await SeedAsync();
        async Task Fails(string expected, params string[] args)
        {
            var r = await RunAsync(args);
            Assert.True(r.ExitCode == 1, r.ToString());
            Assert.Contains(expected, r.Stderr);
            Assert.Equal("", r.Stdout);
        }
        await Fails("'customer' is not a primary-key column", "lookup", Orders, "--key", "customer=alice");
        await Fails("'x' is not a valid BIGINT", "lookup", Orders, "--key", "id=x");
        await Fails("Snapshot 9", "lookup", Orders, "--key", "id=1", "--snapshot", "9");
        await Fails("does not exist", "lookup", "shop.nope", "--key", "id=1");
        await OkAsync("table", "create", "shop.log", "--schema", "a INT");
        await Fails("no primary key", "lookup", "shop.log", "--key", "a=1");
        var usage = await RunAsync("lookup", Orders);
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("--key", usage.Stderr);
    }

    [Fact]
    public async Task Cluster_and_warehouse_together_are_refused()
    {
        var r = await RunAsync("table", "list", "--cluster", "localhost:1", "--warehouse", Warehouse);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("--cluster and --warehouse cannot be used together", r.Stderr);
        var bad = await RunAsync("table", "list", "--cluster", "no-port");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("Invalid cluster address 'no-port'", bad.Stderr);
    }
}
