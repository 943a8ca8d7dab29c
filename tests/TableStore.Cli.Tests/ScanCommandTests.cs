using System.Globalization;
using System.Text.Json;
using TableStore.Cli.Tests.Support;

namespace TableStore.Cli.Tests;

public sealed class ScanCommandTests : CliTestBase
{
    [Fact]
    public async Task Csv_has_a_header_empty_nulls_quoting_and_invariant_numbers_whatever_the_culture()
    {
        await CreateOrdersAsync();
        await OkWithInputAsync(
            "id,customer,amount,qty,day\n" +
            "1,alice,1234.50,1,2024-05-01\n" +
            "2,,-0.05,2,\n" +
            "3,\"say \"\"hi\"\", ok\",,3,\n" +
            "4,\" padded \",7,4,\n" +
            "5,#hash,0,5,\n", "write", Orders);

        var saved = CultureInfo.CurrentCulture;
        var commaDecimals = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        commaDecimals.NumberFormat.NumberDecimalSeparator = ",";
        commaDecimals.NumberFormat.NumberGroupSeparator = ".";
        CultureInfo.CurrentCulture = commaDecimals;
        try
        {
            var r = await OkAsync("scan", Orders, "--format", "csv");
            Assert.Equal(
                "id,customer,amount,qty,day\n" +
                "1,alice,1234.50,1,2024-05-01\n" +
                "2,,-0.05,2,\n" +
                "3,\"say \"\"hi\"\", ok\",,3,\n" +
                "4,\" padded \",7.00,4,\n" +
                "5,\"#hash\",0.00,5,\n", r.Stdout);
            Assert.Equal("", r.Stderr);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public async Task Csv_output_reads_back_as_the_same_rows()
    {
        await CreateOrdersAsync();
        await OkWithInputAsync(
            "id,customer,amount,qty,day\n1,\"multi\nline\",1.50,1,2024-05-01\n2,\" x \",,2,\n3,\"#c, \"\"q\"\"\",2.00,3,\n", "write", Orders);
        var first = (await OkAsync("scan", Orders, "--format", "csv")).Stdout;

        await OkAsync("table", "create", "shop.copy", "--schema", OrdersSchema, "--primary-key", "id");
        await OkWithInputAsync(first, "write", "shop.copy");
        Assert.Equal(first, (await OkAsync("scan", "shop.copy", "--format", "csv")).Stdout);
    }

    [Fact]
    public async Task Jsonl_has_one_object_per_row_keyed_by_column_name()
    {
        await CreateSeededOrdersAsync();
        var r = await OkAsync("scan", Orders, "--format", "jsonl");
        var lines = r.StdoutLines;
        Assert.Equal(3, lines.Length);
        Assert.Equal("{\"id\":1,\"customer\":\"alice\",\"amount\":\"10.50\",\"qty\":1,\"day\":\"2024-05-01\"}", lines[0]);
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal(2, second.RootElement.GetProperty("id").GetInt64());
        Assert.Equal(JsonValueKind.Null, second.RootElement.GetProperty("amount").ValueKind);
        Assert.Equal("2024-05-02", second.RootElement.GetProperty("day").GetString());
        using var third = JsonDocument.Parse(lines[2]);
        Assert.Equal("carol, jr", third.RootElement.GetProperty("customer").GetString());
        Assert.Equal("-3.25", third.RootElement.GetProperty("amount").GetString());
        Assert.Equal(JsonValueKind.Null, third.RootElement.GetProperty("day").ValueKind);
        Assert.Equal("", r.Stderr);
    }

    [Fact]
    public async Task Jsonl_output_reads_back_as_the_same_rows()
    {
        await CreateSeededOrdersAsync();
        var jsonl = (await OkAsync("scan", Orders, "--format", "jsonl")).Stdout;
        await OkAsync("table", "create", "shop.copy", "--schema", OrdersSchema, "--primary-key", "id");
        await OkWithInputAsync(jsonl, "write", "shop.copy", "--format", "jsonl");
        Assert.Equal(jsonl, (await OkAsync("scan", "shop.copy", "--format", "jsonl")).Stdout);
    }

    [Fact]
    public async Task Table_format_is_an_aligned_grid_with_NULLs_and_a_footer_on_stderr()
    {
        await CreateSeededOrdersAsync();
        var r = await OkAsync("scan", Orders);
        Assert.Equal(
            "id | customer  | amount | qty | day\n" +
            "---+-----------+--------+-----+-----------\n" +
            " 1 | alice     |  10.50 |   1 | 2024-05-01\n" +
            " 2 | bob       |   NULL |   2 | 2024-05-02\n" +
            " 3 | carol, jr |  -3.25 |   3 | NULL\n", r.Stdout);
        Assert.Equal("(3 rows, snapshot 1)\n", r.Stderr);

        var explicitFormat = await OkAsync("scan", Orders, "--format", "table");
        Assert.Equal(r.Stdout, explicitFormat.Stdout);
    }

    [Fact]
    public async Task Grid_keeps_each_row_on_one_line()
    {
        await CreateOrdersAsync();
        await OkWithInputAsync("id,customer,qty\n1,\"two\nlines\",1\n", "write", Orders);
        var r = await OkAsync("scan", Orders, "--select", "id,customer");
        Assert.Equal("id | customer\n---+-----------\n 1 | two\\nlines\n", r.Stdout);
        Assert.Equal("(1 row, snapshot 1)\n", r.Stderr);
    }

    [Theory]
    [InlineData("table", "id | customer | amount | qty | day\n---+----------+--------+-----+----\n")]
    [InlineData("csv", "id,customer,amount,qty,day\n")]
    [InlineData("jsonl", "")]
    public async Task A_table_without_snapshots_scans_as_empty(string format, string expected)
    {
        await CreateOrdersAsync();
        var r = await OkAsync("scan", Orders, "--format", format);
        Assert.Equal(expected, r.Stdout);
        if (format == "table") Assert.Equal("(0 rows, no snapshot)\n", r.Stderr);
    }

    [Fact]
    public async Task Select_projects_and_orders_columns()
    {
        await CreateSeededOrdersAsync();
        var r = await OkAsync("scan", Orders, "--select", "qty, customer", "--format", "csv");
        Assert.Equal("qty,customer\n1,alice\n2,bob\n3,\"carol, jr\"\n", r.Stdout);
    }

    [Fact]
    public async Task Where_filters_rows()
    {
        await CreateSeededOrdersAsync();
        var r = await OkAsync("scan", Orders, "--where", "amount > 0 OR customer = 'bob'", "--select", "id", "--format", "csv");
        Assert.Equal("id\n1\n2\n", r.Stdout);
        var nulls = await OkAsync("scan", Orders, "--where", "day IS NULL", "--select", "id", "--format", "csv");
        Assert.Equal("id\n3\n", nulls.Stdout);
        var dates = await OkAsync("scan", Orders, "--where", "day >= '2024-05-02'", "--select", "id", "--format", "csv");
        Assert.Equal("id\n2\n", dates.Stdout);
    }

    [Fact]
    public async Task Limit_caps_the_rows()
    {
        await CreateSeededOrdersAsync();
        Assert.Equal("id\n1\n2\n", (await OkAsync("scan", Orders, "--select", "id", "--limit", "2", "--format", "csv")).Stdout);
        Assert.Equal("id\n", (await OkAsync("scan", Orders, "--select", "id", "--limit", "0", "--format", "csv")).Stdout);
        var grid = await OkAsync("scan", Orders, "--limit", "1");
        Assert.Equal("(1 row, snapshot 1)\n", grid.Stderr);
    }

    [Fact]
    public async Task Snapshot_reads_an_older_version()
    {
        await CreateSeededOrdersAsync();
        await OkWithInputAsync("_op,id,qty\n-D,1,0\n+U,2,20\n", "write", Orders);

        var latest = await OkAsync("scan", Orders, "--select", "id,qty", "--format", "csv");
        Assert.Equal("id,qty\n2,20\n3,3\n", latest.Stdout);
        var old = await OkAsync("scan", Orders, "--select", "id,qty", "--format", "csv", "--snapshot", "1");
        Assert.Equal("id,qty\n1,1\n2,2\n3,3\n", old.Stdout);
        var grid = await OkAsync("scan", Orders, "--snapshot", "1");
        Assert.Equal("(3 rows, snapshot 1)\n", grid.Stderr);
    }

    [Fact]
    public async Task As_of_reads_the_snapshot_current_at_that_time_in_every_accepted_format()
    {
        await CreateSeededOrdersAsync();
        var first = await SnapshotTimeAsync(1);
        // Make sure the second commit is stamped later than the first, to the millisecond.
        while (DateTimeOffset.UtcNow <= first.AddMilliseconds(5)) await Task.Delay(5);
        await OkWithInputAsync("id,qty\n4,4\n", "write", Orders);
        var second = await SnapshotTimeAsync(2);
        Assert.True(second > first);

        string[] atFirst =
        [
            first.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture),
            first.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture),
            first.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            first.ToOffset(TimeSpan.FromHours(2)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
            first.ToOffset(TimeSpan.FromHours(-5)).ToString("yyyy-MM-dd HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
            first.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        ];
        foreach (var asOf in atFirst)
        {
            var r = await OkAsync("scan", Orders, "--as-of", asOf);
            Assert.True(r.Stderr == "(3 rows, snapshot 1)\n", $"--as-of {asOf}: {r}");
        }

        var now = await OkAsync("scan", Orders, "--as-of", DateTimeOffset.UtcNow.AddMinutes(1).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        Assert.Equal("(4 rows, snapshot 2)\n", now.Stderr);
    }

    [Fact]
    public async Task As_of_before_the_first_snapshot_fails()
    {
        await CreateSeededOrdersAsync();
        var r = await FailAsync("scan", Orders, "--as-of", "2000-01-01 00:00:00");
        Assert.Contains("No snapshot exists at or before 2000-01-01 00:00:00.000 UTC", r.Stderr);
        Assert.Equal("", r.Stdout);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2024-13-01 00:00:00")]
    [InlineData("01/05/2024")]
    [InlineData("")]
    public async Task An_invalid_as_of_time_fails(string asOf)
    {
        await CreateSeededOrdersAsync();
        var r = await FailAsync("scan", Orders, "--as-of", asOf);
        Assert.Contains($"Invalid --as-of '{asOf}'", r.Stderr);
        Assert.Equal("", r.Stdout);
    }

    [Theory]
    [InlineData("99", "Snapshot 99 does not exist: snapshots 1..1 are available")]
    [InlineData("0", "Snapshot 0 does not exist")]
    public async Task An_unknown_snapshot_fails(string id, string expected)
    {
        await CreateSeededOrdersAsync();
        var state = await TableStateAsync();
        var r = await FailAsync("scan", Orders, "--snapshot", id);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(expected, r.Stderr);
        Assert.Equal("", r.Stdout);
        Assert.Equal(state, await TableStateAsync());
    }

    [Fact]
    public async Task A_snapshot_of_a_table_without_snapshots_fails()
    {
        await CreateOrdersAsync();
        var r = await FailAsync("scan", Orders, "--snapshot", "1");
        Assert.Contains("Snapshot 1 does not exist: the table has no snapshots yet", r.Stderr);
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("jsonl")]
    [InlineData("table")]
    public async Task Snapshot_and_as_of_together_is_a_usage_error(string format)
    {
        await CreateSeededOrdersAsync();
        var r = await FailAsync("scan", Orders, "--snapshot", "1", "--as-of", "2030-01-01 00:00:00", "--format", format);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--snapshot and --as-of cannot be used together", r.Stderr);
        Assert.Equal("", r.Stdout);
    }

    [Theory]
    [InlineData("amount >", "Invalid filter at column 9", "expected a value")]
    [InlineData("nosuch = 1", "nosuch", "Unknown column")]
    [InlineData("customer = 5", "column 'customer' is STRING", "quote the value")]
    [InlineData("amount = 'abc'", "for column 'amount'", "'abc'")]
    [InlineData("id = 1 AND", "Invalid filter", "id = 1 AND")]
    [InlineData("customer = 'open", "unterminated string", "customer = 'open")]
    [InlineData("   ", "filter is empty", "--where")]
    public async Task An_invalid_where_fails_before_any_output(string where, string expected1, string expected2)
    {
        await CreateSeededOrdersAsync();
        var state = await TableStateAsync();
        foreach (var format in new[] { "csv", "jsonl", "table" })
        {
            var r = await FailAsync("scan", Orders, "--where", where, "--format", format);
            Assert.Equal(1, r.ExitCode);
            Assert.Contains(expected1, r.Stderr, StringComparison.OrdinalIgnoreCase);
            Assert.Contains(expected2, r.Stderr, StringComparison.OrdinalIgnoreCase);
            Assert.Equal("", r.Stdout);
        }
        Assert.Equal(state, await TableStateAsync());
    }

    [Theory]
    [InlineData("nosuch", "Unknown column 'nosuch'")]
    [InlineData("id,,qty", "empty item")]
    [InlineData("id,qty,ID", "Column 'id' is selected twice")]
    public async Task An_invalid_select_fails(string select, string expected)
    {
        await CreateSeededOrdersAsync();
        var r = await FailAsync("scan", Orders, "--select", select, "--format", "csv");
        Assert.Contains(expected, r.Stderr);
        Assert.Equal("", r.Stdout);
    }

    [Theory]
    [InlineData("--limit", "-1", 1, "zero or more")]
    [InlineData("--limit", "many", 2, "Invalid --limit 'many'")]
    [InlineData("--snapshot", "latest", 2, "Invalid --snapshot 'latest'")]
    [InlineData("--format", "xml", 2, "xml")]
    public async Task Invalid_option_values_fail(string option, string value, int exitCode, string expected)
    {
        await CreateSeededOrdersAsync();
        var r = await FailAsync("scan", Orders, option, value);
        Assert.Equal(exitCode, r.ExitCode);
        Assert.Contains(expected, r.Stderr);
        Assert.Equal("", r.Stdout);
    }

    private async Task<DateTimeOffset> SnapshotTimeAsync(long id)
    {
        var lines = (await OkAsync("snapshots", Orders, "--format", "csv")).StdoutLines;
        var row = lines.Skip(1).Select(l => l.Split(',')).Single(f => f[0] == id.ToString(CultureInfo.InvariantCulture));
        return DateTimeOffset.ParseExact(row[1], "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }
}
