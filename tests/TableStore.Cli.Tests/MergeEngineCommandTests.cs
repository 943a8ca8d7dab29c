using TableStore.Cli.Tests.Support;

namespace TableStore.Cli.Tests;

public sealed class MergeEngineCommandTests : CliTestBase
{
    [Fact]
    public async Task Partial_update_fills_columns_from_separate_writes()
    {
        await OkAsync("table", "create", "shop.profile", "--schema", "id BIGINT NOT NULL, name STRING, email STRING, visits INT",
            "--primary-key", "id", "--option", "merge-engine=partial-update");
        await OkWithInputAsync("id,name,email,visits\n1,alice,,\n2,bob,,1\n", "write", "shop.profile");
        await OkWithInputAsync("id,name,email,visits\n1,,alice@example.com,3\n", "write", "shop.profile");
        Assert.Equal("id,name,email,visits\n1,alice,alice@example.com,3\n2,bob,,1\n", (await OkAsync("scan", "shop.profile", "--format", "csv")).Stdout);
        await OkAsync("compact", "shop.profile", "--full");
        Assert.Equal("id,name,email,visits\n1,alice,alice@example.com,3\n2,bob,,1\n", (await OkAsync("scan", "shop.profile", "--format", "csv")).Stdout);
    }

    [Fact]
    public async Task Aggregation_sums_and_counts_and_rejects_what_it_cannot_retract()
    {
        await OkAsync("table", "create", "shop.revenue", "--schema", "customer STRING NOT NULL, total DECIMAL(12,2), orders BIGINT, last_order DATE",
            "--primary-key", "customer", "--option", "merge-engine=aggregation", "--option", "fields.total.aggregate-function=sum",
            "--option", "fields.orders.aggregate-function=count", "--option", "fields.last_order.aggregate-function=max");
        await OkWithInputAsync("customer,total,orders,last_order\nalice,10.00,1,2024-05-01\nbob,5.50,1,2024-05-02\nalice,2.25,1,2024-04-01\n", "write", "shop.revenue");
        await OkWithInputAsync("customer,total,orders,last_order\nalice,1.00,1,2024-06-01\n", "write", "shop.revenue");
        Assert.Equal("customer,total,orders,last_order\nalice,13.25,3,2024-06-01\nbob,5.50,1,2024-05-02\n",
            (await OkAsync("scan", "shop.revenue", "--format", "csv")).Stdout);
        var bad = await FailWithInputAsync("_op,customer,total,orders,last_order\n-D,alice,,,\n", "write", "shop.revenue");
        Assert.Contains("aggregate function max of column 'last_order' cannot retract a -D row", bad.Stderr);
        Assert.Contains("aggregation.remove-record-on-delete=true", bad.Stderr);
    }
}
