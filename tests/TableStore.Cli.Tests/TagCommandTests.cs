using TableStore.Cli.Tests.Support;

namespace TableStore.Cli.Tests;

public sealed class TagCommandTests : CliTestBase
{
    [Fact]
    public async Task Create_list_scan_and_delete_tags()
    {
        await OkAsync("table", "create", Orders, "--schema", OrdersSchema, "--primary-key", "id");
        await OkWithInputAsync(SeedCsv, "write", Orders);
        await OkWithInputAsync("_op,id,customer,amount,qty,day\n-D,2,,,0,\n", "write", Orders);
        Assert.Equal("Tagged snapshot 2 of shop.orders as 'now'.\n", (await OkAsync("tag", "create", Orders, "now")).Stdout);
        await OkAsync("tag", "create", Orders, "before-delete", "--snapshot", "1");

        var list = await OkAsync("tag", "list", Orders, "--format", "csv");
        var lines = list.StdoutLines;
        Assert.Equal("tag,snapshot_id,snapshot_time,total_records", lines[0]);
        Assert.StartsWith("before-delete,1,", lines[1]);
        Assert.EndsWith(",3", lines[1]);
        Assert.StartsWith("now,2,", lines[2]);

        var old = await OkAsync("scan", Orders, "--tag", "before-delete", "--format", "csv", "--select", "id");
        Assert.Equal("id\n1\n2\n3\n", old.Stdout);
        var usage = await RunAsync("scan", Orders, "--tag", "now", "--snapshot", "1");
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("--tag cannot be used with --snapshot or --as-of", usage.Stderr);

        Assert.Equal("Deleted tag 'now' of shop.orders.\n", (await OkAsync("tag", "delete", Orders, "now")).Stdout);
        var missing = await RunAsync("scan", Orders, "--tag", "now");
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("error: Tag 'now' does not exist on shop.orders (tags: before-delete).\n", missing.Stderr);
        var dup = await RunAsync("tag", "create", Orders, "before-delete");
        Assert.Equal(1, dup.ExitCode);
        Assert.Contains("already exists", dup.Stderr);
        var bad = await RunAsync("tag", "create", Orders, "../etc");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("Invalid tag name '../etc'", bad.Stderr);
    }
}
