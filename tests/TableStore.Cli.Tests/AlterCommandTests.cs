using TableStore.Cli.Tests.Support;

namespace TableStore.Cli.Tests;

public sealed class AlterCommandTests : CliTestBase
{
    [Fact]
    public async Task Add_rename_widen_and_drop_keep_old_rows_readable()
    {
        await OkAsync("table", "create", Orders, "--schema", "id BIGINT NOT NULL, customer STRING, qty INT, price FLOAT, note STRING", "--primary-key", "id");
        await OkWithInputAsync("id,customer,qty,price,note\n1,alice,2,1.5,x\n2,bob,3,2.25,y\n", "write", Orders);

        var r = await OkAsync("table", "alter", Orders, "--add-column", "channel STRING", "--rename-column", "customer:buyer",
            "--widen", "qty:BIGINT", "--widen", "price:DOUBLE", "--drop-column", "note");
        Assert.Equal("Altered table shop.orders: schema 1, columns id BIGINT NOT NULL, buyer STRING, qty BIGINT, price DOUBLE, channel STRING.\n", r.Stdout);
        await OkWithInputAsync("id,buyer,qty,price,channel\n3,carol,5000000000,0.1,web\n", "write", Orders);

        Assert.Equal("id,buyer,qty,price,channel\n1,alice,2,1.5,\n2,bob,3,2.25,\n3,carol,5000000000,0.1,web\n",
            (await OkAsync("scan", Orders, "--format", "csv")).Stdout);
        Assert.Equal("id,qty\n2,3\n3,5000000000\n", (await OkAsync("scan", Orders, "--format", "csv", "--select", "id,qty", "--where", "qty >= 3")).Stdout);
        await OkAsync("compact", Orders, "--full");
        Assert.Equal("id,buyer,qty,price,channel\n1,alice,2,1.5,\n2,bob,3,2.25,\n3,carol,5000000000,0.1,web\n",
            (await OkAsync("scan", Orders, "--format", "csv")).Stdout);

        // A dropped name added again is a new column: the old values do not come back.
        await OkAsync("table", "alter", Orders, "--add-column", "note STRING");
        Assert.Equal("id,note\n1,\n2,\n3,\n", (await OkAsync("scan", Orders, "--format", "csv", "--select", "id,note")).Stdout);
    }

    [Fact]
    public async Task Refused_alters_say_why_and_change_nothing()
    {
        await OkAsync("table", "create", "shop.events", "--schema", "id BIGINT NOT NULL, day DATE NOT NULL, v INT",
            "--primary-key", "id,day", "--partition-by", "day");
        Assert.Equal("error: Column 'id' is part of the primary key (id, day) and cannot be dropped.\n",
            (await FailAsync("table", "alter", "shop.events", "--drop-column", "id")).Stderr);
        Assert.Equal("error: Column 'day' is a partition key and cannot be dropped: the table's files are laid out by it.\n",
            (await FailAsync("table", "alter", "shop.events", "--drop-column", "day")).Stderr);
        Assert.Contains("cannot change from INT to DOUBLE", (await FailAsync("table", "alter", "shop.events", "--widen", "v:DOUBLE")).Stderr);
        Assert.Contains("Invalid --rename-column 'v'", (await FailAsync("table", "alter", "shop.events", "--rename-column", "v")).Stderr);
        Assert.Contains("Nothing to alter", (await FailAsync("table", "alter", "shop.events")).Stderr);
        Assert.Contains("cannot be added as NOT NULL", (await FailAsync("table", "alter", "shop.events", "--add-column", "w INT NOT NULL")).Stderr);
        Assert.Contains("Schema id:       0", (await OkAsync("table", "describe", "shop.events")).Stdout);
    }
}
