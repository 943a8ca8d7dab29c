using TableStore.Cli.Tests.Support;
using TableStore.Core;

namespace TableStore.Cli.Tests;

/// <summary>Global behaviour: the warehouse option and variable, version, usage errors and error reporting.</summary>
public sealed class CliAppTests : CliTestBase
{
    [Fact]
    public async Task Warehouse_option_works_before_or_after_the_subcommand_and_overrides_the_variable()
    {
        var other = Path.Combine(Root, "other");
        Env["TABLESTORE_WAREHOUSE"] = Path.Combine(Root, "unused");
        await OkAsync("--warehouse", other, "table", "create", "a.b", "--schema", "x INT");
        await OkAsync("table", "create", "a.c", "--schema", "x INT", "--warehouse", other);
        Assert.Equal(["a.b", "a.c"], (await OkAsync("table", "list", "--warehouse", "file://" + other)).StdoutLines);
        Assert.False(Directory.Exists(Path.Combine(Root, "unused", "a.db")));
    }

    [Fact]
    public async Task Warehouse_variable_is_used_when_there_is_no_option()
    {
        await CreateOrdersAsync();
        Assert.True(File.Exists(Path.Combine(Warehouse, "shop.db", "orders", "schema", "schema-0")));
    }

    [Fact]
    public async Task Unsupported_warehouse_uri_fails()
    {
        var r = await FailAsync("table", "list", "--warehouse", "gs://bucket/wh");
        Assert.Contains("Unsupported warehouse URI scheme 'gs'", r.Stderr);
        Assert.Contains("s3://", r.Stderr);
    }

    [Fact]
    public async Task Version_and_help_succeed()
    {
        var version = await OkAsync("--version");
        Assert.Matches(@"^\d+\.\d+\.\d+", version.Stdout);
        var help = await OkAsync("--help");
        Assert.Contains("table", help.Stdout);
        Assert.Contains("scan", help.Stdout);
        Assert.Contains("--warehouse", (await OkAsync("scan", "--help")).Stdout);
    }

    [Theory]
    [InlineData(new[] { "tabel", "list" }, "'tabel'", "tablestore --help")]
    [InlineData(new string[0], "Required command was not provided", "tablestore --help")]
    [InlineData(new[] { "scan" }, "table", "tablestore scan --help")]
    [InlineData(new[] { "write", Orders, "--format", "xml" }, "xml", "tablestore write --help")]
    [InlineData(new[] { "table", "create", "a.b", "--schema", "x INT", "--buckets", "two" }, "Invalid --buckets 'two'", "tablestore table create --help")]
    public async Task Usage_errors_exit_2_with_a_message_and_a_hint(string[] args, string expected, string hint)
    {
        var r = await RunAsync(args);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: ", r.Stderr);
        Assert.Contains(expected, r.Stderr);
        Assert.Contains($"Run '{hint}' for usage.", r.Stderr);
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public void Expected_errors_print_only_their_message()
    {
        foreach (var e in new Exception[] { new InvalidInputException("bad x"), new IOException("bad x"), new UnauthorizedAccessException("bad x") })
        {
            var err = new StringWriter();
            Assert.Equal(1, CliApp.ReportError(e, TextWriter.Null, err, debug: true));
            Assert.Equal("error: bad x" + Environment.NewLine, err.ToString());
        }
    }

    [Fact]
    public void Unexpected_errors_name_their_type_and_show_the_stack_only_in_debug()
    {
        Exception thrown;
        try { throw new InvalidOperationException("boom"); }
        catch (InvalidOperationException e) { thrown = e; }

        var quiet = new StringWriter();
        Assert.Equal(1, CliApp.ReportError(thrown, TextWriter.Null, quiet, debug: false));
        Assert.StartsWith("error: boom", quiet.ToString());
        Assert.Contains("(unexpected System.InvalidOperationException; run with TABLESTORE_DEBUG=1 for details)", quiet.ToString());
        Assert.DoesNotContain(" at ", quiet.ToString());

        var debug = new StringWriter();
        CliApp.ReportError(thrown, TextWriter.Null, debug, debug: true);
        Assert.Contains(nameof(Unexpected_errors_name_their_type_and_show_the_stack_only_in_debug), debug.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("1")]
    public async Task An_unexpected_failure_during_a_command_is_reported_end_to_end(string? debug)
    {
        await CreateSeededOrdersAsync();
        var state = await TableStateAsync();
        Env["TABLESTORE_DEBUG"] = debug;
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        int code = await CliApp.RunAsync(["write", Orders], new FailingReader(), stdout, stderr, Env);

        Assert.Equal(1, code);
        Assert.Equal("", stdout.ToString());
        var lines = stderr.ToString().Split(Environment.NewLine);
        Assert.Equal("error: stdin is broken", lines[0]);
        Assert.Equal("(unexpected System.InvalidOperationException; run with TABLESTORE_DEBUG=1 for details)", lines[1]);
        if (debug is null) Assert.DoesNotContain(" at ", stderr.ToString());
        else Assert.Contains(nameof(FailingReader), stderr.ToString());
        Assert.Equal(state, await TableStateAsync());
    }

    private sealed class FailingReader : TextReader
    {
        public override int Read() => throw new InvalidOperationException("stdin is broken");
        public override int Peek() => throw new InvalidOperationException("stdin is broken");
    }

    [Fact]
    public async Task Cancellation_exits_with_130()
    {
        await CreateSeededOrdersAsync();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var stderr = new StringWriter();
        int code = await CliApp.RunAsync(["scan", Orders], new StringReader(""), new StringWriter(), stderr, Env, cts.Token);
        Assert.Equal(130, code);
        Assert.Equal("error: cancelled" + Environment.NewLine, stderr.ToString());
    }
}
