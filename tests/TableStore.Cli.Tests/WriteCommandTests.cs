using TableStore.Cli.Tests.Support;

namespace TableStore.Cli.Tests;

public sealed class WriteCommandTests : CliTestBase
{
    [Fact]
    public async Task Csv_from_stdin_commits_one_snapshot_and_prints_its_id()
    {
        await CreateOrdersAsync();
        var r = await OkWithInputAsync(SeedCsv, "write", Orders);
        Assert.Equal("1\n", r.Stdout);
        Assert.Equal("Committed snapshot 1 of shop.orders: 3 rows\n", r.Stderr);

        var scan = await OkAsync("scan", Orders, "--format", "csv");
        Assert.Equal(SeedCsv, scan.Stdout);

        var second = await OkWithInputAsync("id,qty\n4,4\n", "write", Orders);
        Assert.Equal("2\n", second.Stdout);
        Assert.Equal("Committed snapshot 2 of shop.orders: 1 row\n", second.Stderr);
    }

    [Fact]
    public async Task Csv_from_a_file()
    {
        await CreateOrdersAsync();
        var path = WriteInputFile("orders.csv", SeedCsv);
        var r = await OkAsync("write", Orders, "--file", path);
        Assert.Equal("1\n", r.Stdout);
        Assert.Equal(SeedCsv, (await OkAsync("scan", Orders, "--format", "csv")).Stdout);
    }

    [Fact]
    public async Task Jsonl_from_a_file_is_recognised_by_its_extension()
    {
        await CreateOrdersAsync();
        var path = WriteInputFile("orders.jsonl",
            "{\"id\": 1, \"customer\": \"alice\", \"amount\": 10.5, \"qty\": 1, \"day\": \"2024-05-01\"}\n" +
            "\n" +
            "{\"id\": 2, \"customer\": null, \"amount\": \"0.25\", \"qty\": 2}\n");
        var r = await OkAsync("write", Orders, "--file", path);
        Assert.Equal("1\n", r.Stdout);
        Assert.Equal("id,customer,amount,qty,day\n1,alice,10.50,1,2024-05-01\n2,,0.25,2,\n",
            (await OkAsync("scan", Orders, "--format", "csv")).Stdout);
    }

    [Fact]
    public async Task Jsonl_from_stdin_needs_the_format_option()
    {
        await CreateOrdersAsync();
        var r = await OkWithInputAsync("{\"id\":7,\"qty\":1}\n", "write", Orders, "--format", "jsonl");
        Assert.Equal("1\n", r.Stdout);
        Assert.Equal("id,customer,amount,qty,day\n7,,,1,\n", (await OkAsync("scan", Orders, "--format", "csv")).Stdout);
    }

    [Fact]
    public async Task A_dash_file_and_a_byte_order_mark_on_stdin()
    {
        await CreateOrdersAsync();
        var r = await OkWithInputAsync("\uFEFFid,qty\n7,1\n", "write", Orders, "--file", "-");
        Assert.Equal("1\n", r.Stdout);
        Assert.Equal("id,customer,amount,qty,day\n7,,,1,\n", (await OkAsync("scan", Orders, "--format", "csv")).Stdout);
    }

    [Fact]
    public async Task Format_option_overrides_the_file_extension()
    {
        await CreateOrdersAsync();
        var path = WriteInputFile("orders.txt", "{\"id\":7,\"qty\":1}\n");
        await OkAsync("write", Orders, "--file", path, "--format", "jsonl");
        Assert.Equal("id,customer,amount,qty,day\n7,,,1,\n", (await OkAsync("scan", Orders, "--format", "csv")).Stdout);
    }

    [Fact]
    public async Task The_op_column_updates_and_deletes_rows()
    {
        await CreateSeededOrdersAsync();
        var r = await OkWithInputAsync("_op,id,customer,qty\n+U,1,alice2,9\n-D,2,,0\n+I,5,eve,5\n", "write", Orders);
        Assert.Equal("2\n", r.Stdout);
        Assert.Equal("id,customer,amount,qty,day\n1,alice2,,9,\n3,\"carol, jr\",-3.25,3,\n5,eve,,5,\n",
            (await OkAsync("scan", Orders, "--format", "csv")).Stdout);
        Assert.Equal(["id,customer,amount,qty,day", "3,\"carol, jr\",-3.25,3,"],
            (await OkAsync("scan", Orders, "--format", "csv", "--where", "id = 3")).StdoutLines);
    }

    [Theory]
    [InlineData("", "csv")]
    [InlineData("id,customer,amount,qty,day\n", "csv")]
    [InlineData("", "jsonl")]
    [InlineData("\n\n", "jsonl")]
    public async Task Empty_input_commits_nothing(string input, string format)
    {
        await CreateSeededOrdersAsync();
        var state = await TableStateAsync();
        var r = await OkWithInputAsync(input, "write", Orders, "--format", format);
        Assert.Equal("", r.Stdout);
        Assert.Contains("nothing committed", r.Stderr);
        Assert.Equal(state, await TableStateAsync());
    }

    [Fact]
    public async Task A_missing_input_file_is_an_error()
    {
        await CreateSeededOrdersAsync();
        var state = await TableStateAsync();
        var missing = Path.Combine(Root, "nosuch.csv");
        var r = await FailAsync("write", Orders, "--file", missing);
        Assert.Contains(missing, r.Stderr);
        Assert.Contains("does not exist", r.Stderr);
        Assert.Equal(state, await TableStateAsync());
    }

    [Fact]
    public async Task Writing_to_a_table_that_does_not_exist_fails_before_reading_input()
    {
        await CreateSeededOrdersAsync();
        var files = FilesUnderRoot();
        var r = await FailWithInputAsync("id,qty\n9,9\n", "write", "shop.nosuch");
        Assert.Matches(@"^error: Table 'shop.nosuch' does not exist in warehouse file:///\S+\.\n$", r.Stderr);
        Assert.Equal("", r.Stdout);
        Assert.Equal(files, FilesUnderRoot());
    }

    public static TheoryData<string, string, string[]> BadInputs => new()
    {
        // name, input (csv unless the name says jsonl), what the message must mention
        { "unknown column in the CSV header", "id,nosuch,qty\n9,x,1\n", ["stdin: line 1, column 2", "unknown column 'nosuch'"] },
        { "unknown column in JSONL", "{\"id\":9,\"qty\":1}\n{\"id\":10,\"nosuch\":1,\"qty\":1}\n", ["stdin: line 2", "unknown column 'nosuch'"] },
        { "wrong type in CSV", "id,amount,qty\n9,1.25,1\n10,abc,1\n", ["stdin: line 3, column 2 (amount)", "'abc' is not a valid DECIMAL(10,2)"] },
        { "wrong type in JSONL", "{\"id\":9,\"qty\":1}\n{\"id\":10,\"qty\":\"many\"}\n", ["stdin: line 2, field qty", "'many' is not a valid INT"] },
        { "too many decimal places", "id,amount,qty\n9,1.255,1\n", ["stdin: line 2, column 2 (amount)", "1.255"] },
        { "null in a NOT NULL column", "id,customer,qty\n9,x,1\n10,y,\n", ["stdin: line 3", "'qty' is NOT NULL"] },
        { "null in a NOT NULL column in JSONL", "{\"id\":9,\"qty\":null}\n", ["stdin: line 1", "'qty' is NOT NULL"] },
        { "null in the key column", "id,customer,qty\n9,x,1\n,y,2\n", ["stdin: line 3", "'id' is a primary-key column"] },
        { "null key in JSONL", "{\"id\":null,\"qty\":1}\n", ["stdin: line 1", "'id' is a primary-key column"] },
        { "unterminated quote in CSV", "id,customer,qty\n9,x,1\n10,\"unterminated,2\n", ["stdin: line 3", "malformed CSV"] },
        { "garbage after a closing quote", "id,customer,qty\n9,\"x\"y,1\n", ["stdin: line 2", "malformed CSV"] },
        { "malformed JSON", "{\"id\":9,\"qty\":1}\n{\"id\":10,,\"qty\":1}\n", ["stdin: line 2, column", "malformed JSON"] },
        { "JSONL line that is not an object", "[1,2]\n", ["stdin: line 1", "expected a JSON object"] },
        { "truncated last CSV line", "id,customer,qty\n9,x,1\n10,y", ["stdin: line 3", "expected 3 fields", "truncated line?"] },
        { "truncated last JSONL line", "{\"id\":9,\"qty\":1}\n{\"id\":10,\"cust", ["stdin: line 2", "malformed JSON", "truncated last line?"] },
        { "invalid _op", "_op,id,qty\n+X,9,1\n", ["stdin: line 2, column 1 (_op)", "'+X'"] },
        { "duplicate header column", "id,qty,id\n9,1,9\n", ["stdin: line 1, column 3", "'id' appears twice"] },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_fails_with_its_location_and_commits_nothing(string name, string input, string[] expected)
    {
        await CreateSeededOrdersAsync();
        var state = await TableStateAsync();
        var format = name.Contains("JSON", StringComparison.Ordinal) ? "jsonl" : "csv";

        var r = await FailWithInputAsync(input, "write", Orders, "--format", format);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("", r.Stdout);
        Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        foreach (var e in expected) Assert.Contains(e, r.Stderr);

        Assert.Equal(state, await TableStateAsync());
    }

    [Fact]
    public async Task Errors_in_a_file_name_the_file()
    {
        await CreateSeededOrdersAsync();
        var state = await TableStateAsync();
        var path = WriteInputFile("bad.jsonl", "{\"id\":9,\"qty\":1}\n{\"id\":10,\"qty\":1.5}\n");
        var r = await FailAsync("write", Orders, "--file", path);
        Assert.StartsWith($"error: {path}: line 2, field qty:", r.Stderr);
        Assert.Equal(state, await TableStateAsync());
    }

    [Fact]
    public async Task Append_only_tables_accept_only_inserts()
    {
        await OkAsync("table", "create", "logs.lines", "--schema", "n INT, line STRING");
        var r = await OkWithInputAsync("n,line\n1,a\n2,a\n", "write", "logs.lines");
        Assert.Equal("1\n", r.Stdout);
        var state = await TableStateAsync("logs.lines");

        var bad = await FailWithInputAsync("_op,n,line\n-D,1,a\n", "write", "logs.lines");
        Assert.Contains("line 2", bad.Stderr);
        Assert.Contains("append-only", bad.Stderr);
        Assert.Equal(state, await TableStateAsync("logs.lines"));
    }

    [Fact]
    public async Task A_named_write_rerun_after_it_committed_is_not_committed_again()
    {
        await CreateSeededOrdersAsync();
        const string input = "id,customer,qty\n10,zed,1\n";
        var first = await OkWithInputAsync(input, "write", Orders, "--commit-user", "nightly-load", "--commit-id", "7");
        var other = await OkWithInputAsync("id,customer,qty\n10,zed-updated,2\n", "write", Orders);
        var rerun = await OkWithInputAsync(input, "write", Orders, "--commit-user", "nightly-load", "--commit-id", "7");
        Assert.Equal(first.Stdout, rerun.Stdout);
        Assert.Contains("Already committed as snapshot", rerun.Stderr);
        Assert.NotEqual(first.Stdout, other.Stdout);
        // The rerun did not bring the old row back over the newer one.
        Assert.Contains("10,zed-updated,", (await OkAsync("scan", Orders, "--format", "csv")).Stdout);
        var next = await OkWithInputAsync(input, "write", Orders, "--commit-user", "nightly-load", "--commit-id", "8");
        Assert.NotEqual(first.Stdout, next.Stdout);
    }

    [Theory]
    [InlineData("--commit-id", "3", "--commit-id needs --commit-user")]
    [InlineData("--commit-user", "nightly", "--commit-user needs --commit-id")]
    public async Task Commit_user_and_commit_id_go_together(string option, string value, string message)
    {
        await CreateOrdersAsync();
        var r = await FailWithInputAsync("id\n1\n", "write", Orders, option, value);
        Assert.Contains(message, r.Stderr);
        Assert.Equal("", (await OkAsync("snapshots", Orders, "--format", "csv")).Stdout.Split('\n', 2)[1]);
    }
}
