using TableStore.Cli.Tests.Support;

namespace TableStore.Cli.Tests;

/// <summary>
/// A warehouse written by format version 1 (Golden/v1, made with the CLI from samples/orders) is committed
/// with the tests. Every later version must read it exactly as it was written, and keep writing to it
/// consistently: an upsert of an existing key must land in the bucket the key already lives in (the bucket
/// hash is part of the format).
/// </summary>
public class GoldenFormatTests : CliTestBase
{
    private static readonly string Golden = Path.Combine(AppContext.BaseDirectory, "Golden", "v1");

    public GoldenFormatTests()
    {
        // A copy, so the tests can write to it.
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Golden, "warehouse"), "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(Warehouse, Path.GetRelativePath(Path.Combine(Golden, "warehouse"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static string Expected(string name) => File.ReadAllText(Path.Combine(Golden, name));

    [Fact]
    public async Task Version_1_tables_read_as_written()
    {
        Assert.Equal(["shop.events", "shop.orders"], (await OkAsync("table", "list")).StdoutLines);
        Assert.Equal(Expected("orders-latest.csv"), (await OkAsync("scan", "shop.orders", "--format", "csv")).Stdout);
        Assert.Equal(Expected("orders-snapshot-1.csv"), (await OkAsync("scan", "shop.orders", "--snapshot", "1", "--format", "csv")).Stdout);
        Assert.Equal(Expected("events.csv"), (await OkAsync("scan", "shop.events", "--format", "csv")).Stdout);
        Assert.Equal("1001,alice,shipped\n", (await OkAsync("scan", "shop.orders", "--where", "order_id = 1001", "--select", "order_id,customer,status", "--format", "csv")).StdoutLines.Skip(1).Single() + "\n");
    }

    [Fact]
    public async Task Upserts_to_version_1_tables_replace_the_existing_rows()
    {
        await OkWithInputAsync("order_id,customer,region,status,amount\n1001,alice,eu,returned,42.50\n1008,hiro,ap,shipped,310.00\n", "write", "shop.orders");
        var rows = (await OkAsync("scan", "shop.orders", "--select", "order_id,status", "--format", "csv")).StdoutLines.Skip(1).Order().ToList();
        Assert.Equal(["1001,returned", "1002,delivered", "1003,shipped", "1005,placed", "1007,placed", "1008,shipped"], rows);
        Assert.Equal(4, (await OkAsync("snapshots", "shop.orders", "--format", "csv")).StdoutLines.Length - 1);
    }
}
