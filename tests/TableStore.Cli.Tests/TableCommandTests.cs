using TableStore.Cli.Tests.Support;

namespace TableStore.Cli.Tests;

public sealed class TableCommandTests : CliTestBase
{
    [Fact]
    public async Task Create_prints_a_confirmation_and_list_shows_the_table()
    {
        var r = await OkAsync("table", "create", "shop.orders", "--schema", OrdersSchema, "--primary-key", "id", "--buckets", "2");
        Assert.Equal("Created table shop.orders (primary-key, 5 columns, 2 buckets).\n", r.Stdout);

        await OkAsync("table", "create", "shop.events", "--schema", "ts TIMESTAMP, payload STRING");
        var list = await OkAsync("table", "list");
        Assert.Equal(["shop.events", "shop.orders"], list.StdoutLines);
    }

    [Fact]
    public async Task List_of_an_empty_warehouse_prints_nothing_on_stdout()
    {
        var r = await OkAsync("table", "list");
        Assert.Equal("", r.Stdout);
        Assert.Contains("no tables", r.Stderr);
    }

    [Fact]
    public async Task Describe_shows_columns_keys_partitions_buckets_options_kind_and_latest_snapshot()
    {
        await OkAsync("table", "create", "shop.sales",
            "--schema", "region STRING, id BIGINT, amount DECIMAL(12,2), note STRING NOT NULL",
            "--primary-key", "region,id", "--partition-by", "region", "--buckets", "4",
            "--option", "file.compression=snappy", "--option", "commit.max-retries=7");

        var before = await OkAsync("table", "describe", "shop.sales");
        var lines = before.StdoutLines;
        Assert.Contains("Table:           shop.sales", lines);
        Assert.Contains("Kind:            primary-key", lines);
        Assert.Contains("Primary key:     region, id", lines);
        Assert.Contains("Partition keys:  region", lines);
        Assert.Contains("Buckets:         4", lines);
        Assert.Contains("  file.compression = snappy", lines);
        Assert.Contains("  commit.max-retries = 7", lines);
        Assert.Contains("Latest snapshot: (none)", lines);
        // Key and partition columns are NOT NULL whatever was declared.
        Assert.Matches(@"^\s+region\s+STRING\s+NOT NULL\s+primary key, partition key$", Assert.Single(lines, l => l.TrimStart().StartsWith("region ", StringComparison.Ordinal)));
        Assert.Matches(@"^\s+id\s+BIGINT\s+NOT NULL\s+primary key$", Assert.Single(lines, l => l.TrimStart().StartsWith("id ", StringComparison.Ordinal)));
        Assert.Matches(@"^\s+amount\s+DECIMAL\(12,2\)\s+NULL$", Assert.Single(lines, l => l.TrimStart().StartsWith("amount ", StringComparison.Ordinal)));
        Assert.Matches(@"^\s+note\s+STRING\s+NOT NULL$", Assert.Single(lines, l => l.TrimStart().StartsWith("note ", StringComparison.Ordinal)));

        await OkWithInputAsync("region,id,note\neu,1,x\n", "write", "shop.sales");
        var after = await OkAsync("table", "describe", "shop.sales");
        Assert.Contains("Latest snapshot: 1", after.StdoutLines);
    }

    [Fact]
    public async Task Describe_of_an_append_only_table()
    {
        await OkAsync("table", "create", "logs.lines", "--schema", "line STRING");
        var r = await OkAsync("table", "describe", "logs.lines");
        Assert.Contains("Kind:            append-only", r.StdoutLines);
        Assert.Contains("Primary key:     (none)", r.StdoutLines);
        Assert.Contains("Options:         (none)", r.StdoutLines);
    }

    [Fact]
    public async Task Drop_removes_the_table_and_its_files()
    {
        await CreateSeededOrdersAsync();
        var r = await OkAsync("table", "drop", Orders);
        Assert.Equal("Dropped table shop.orders.\n", r.Stdout);
        Assert.Empty((await OkAsync("table", "list")).StdoutLines);
        Assert.True(!Directory.Exists(Warehouse) || !Directory.EnumerateFiles(Warehouse, "*", SearchOption.AllDirectories).Any());
        var scan = await FailAsync("scan", Orders);
        Assert.Contains("'shop.orders' does not exist", scan.Stderr);
    }

    [Fact]
    public async Task Creating_a_table_that_already_exists_fails_and_keeps_the_table()
    {
        await CreateSeededOrdersAsync();
        var before = await TableStateAsync();

        var r = await FailAsync("table", "create", Orders, "--schema", "other INT");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("'shop.orders' already exists", r.Stderr);

        Assert.Equal(before, await TableStateAsync());
        Assert.Contains("  customer  STRING", (await OkAsync("table", "describe", Orders)).Stdout);
    }

    [Theory]
    [InlineData("", "table name is empty")]
    [InlineData("   ", "table name is empty")]
    [InlineData("../x", "'../x'")]
    [InlineData("a/b", "'a/b'")]
    [InlineData("/abs/path", "'/abs/path'")]
    [InlineData("db.", "'db.'")]
    [InlineData(".t", "'.t'")]
    [InlineData("a.b.c", "'a.b.c'")]
    [InlineData("db/../x.t", "'db/../x.t'")]
    [InlineData("db.t/../../x", "'db.t/../../x'")]
    public async Task Invalid_table_names_are_rejected_before_touching_the_warehouse(string name, string expected)
    {
        await CreateSeededOrdersAsync();
        var state = await TableStateAsync();
        var files = FilesUnderRoot();

        var create = await FailAsync("table", "create", name, "--schema", "a INT");
        Assert.Contains(expected, create.Stderr);

        string[][] commands = [["scan", name], ["table", "describe", name], ["table", "drop", name], ["snapshots", name]];
        foreach (var args in commands) Assert.Contains(expected, (await FailAsync(args)).Stderr);
        Assert.Contains(expected, (await FailWithInputAsync("a\n1\n", "write", name)).Stderr);

        Assert.Equal(files, FilesUnderRoot());
        Assert.Equal(state, await TableStateAsync());
        Assert.Equal([Orders], (await OkAsync("table", "list")).StdoutLines);
    }

    [Theory]
    [InlineData("table", "describe")]
    [InlineData("table", "drop")]
    [InlineData("scan")]
    [InlineData("snapshots")]
    public async Task Naming_a_table_that_does_not_exist_fails(params string[] command)
    {
        await CreateSeededOrdersAsync();
        var state = await TableStateAsync();
        var files = FilesUnderRoot();

        var r = await FailAsync([.. command, "shop.nosuch"]);
        Assert.Equal(1, r.ExitCode);
        Assert.Matches(@"^error: Table 'shop.nosuch' does not exist in warehouse file:///\S+\.\n$", r.Stderr);
        Assert.Equal("", r.Stdout);

        Assert.Equal(files, FilesUnderRoot());
        Assert.Equal(state, await TableStateAsync());
    }

    [Theory]
    [InlineData("--schema", "", "schema is empty")]
    [InlineData("--schema", "id BIGINT, name TEXT", "TEXT")]
    [InlineData("--schema", "id BIGINT,, name STRING", "column 2 is empty")]
    [InlineData("--schema", "id BIGINT, _op STRING", "_op")]
    [InlineData("--primary-key", "nosuch", "nosuch")]
    [InlineData("--partition-by", "nosuch", "nosuch")]
    [InlineData("--buckets", "0", "between 1 and 4096")]
    [InlineData("--option", "novalue", "novalue")]
    [InlineData("--option", "file.compression=lz77", "file.compression")]
    public async Task Invalid_table_definitions_are_rejected_and_create_nothing(string option, string value, string expected)
    {
        var args = new List<string> { "table", "create", "shop.bad" };
        if (option != "--schema") args.AddRange(["--schema", "id BIGINT, name STRING"]);
        args.AddRange([option, value]);

        var r = await FailAsync([.. args]);
        Assert.Contains(expected, r.Stderr);
        Assert.Empty((await OkAsync("table", "list")).StdoutLines);
        Assert.True(!Directory.Exists(Warehouse) || !Directory.EnumerateFiles(Warehouse, "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public async Task Create_without_schema_is_a_usage_error()
    {
        var r = await FailAsync("table", "create", "shop.x");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--schema", r.Stderr);
        Assert.Contains("tablestore table create --help", r.Stderr);
    }

    [Fact]
    public async Task Table_options_lists_every_declared_option_with_its_values_and_default_and_needs_no_warehouse()
    {
        Env["TABLESTORE_WAREHOUSE"] = Path.Combine(Root, "never-created");
        var r = await OkAsync("table", "options", "--format", "csv");
        var lines = r.StdoutLines;
        Assert.Equal("key,values,default,restrictions,description", lines[0]);
        Assert.Equal(TableStore.Core.Schema.CoreOptions.All.Count, lines.Length - 1);
        Assert.Contains(lines, l => l.StartsWith("merge-engine,deduplicate | partial-update | aggregation | first-row,deduplicate,primary-key tables; fixed once the table holds data,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("num-sorted-run.compaction-trigger,2 … 1000,5,,", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(Root, "never-created")));

        // The same declarations reject a typo at create, with a hint.
        var bad = await FailAsync("table", "create", "shop.t", "--schema", "id BIGINT", "--primary-key", "id", "--option", "write-onyl=true");
        Assert.Contains("Unknown table option 'write-onyl'. Did you mean 'write-only'?", bad.Stderr);
    }
}
