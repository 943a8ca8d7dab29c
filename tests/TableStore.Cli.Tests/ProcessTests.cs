using TableStore.Cli.Tests.Support;
using TableStore.Tests.Shared;

namespace TableStore.Cli.Tests;

/// <summary>Runs the built <c>tablestore</c> as a real process: proves Program.cs wiring, streams and exit codes.</summary>
public sealed class ProcessTests : CliTestBase
{
    [Fact]
    public async Task The_executable_creates_writes_and_scans()
    {
        var create = await RunProcessAsync(null, "table", "create", Orders, "--schema", OrdersSchema, "--primary-key", "id");
        Assert.True(create.ExitCode == 0, create.ToString());
        Assert.Contains("Created table shop.orders", create.Stdout);

        var write = await RunProcessAsync(SeedCsv, "write", Orders);
        Assert.True(write.ExitCode == 0, write.ToString());
        Assert.Equal("1", write.Stdout.Trim());
        Assert.Contains("Committed snapshot 1 of shop.orders: 3 rows", write.Stderr);

        var scan = await RunProcessAsync(null, "--warehouse", Warehouse, "scan", Orders, "--format", "csv");
        Assert.True(scan.ExitCode == 0, scan.ToString());
        Assert.Equal(SeedCsv, scan.Stdout.ReplaceLineEndings("\n"));

        var bad = await RunProcessAsync("id,qty\n9,x\n", "write", Orders);
        Assert.Equal(1, bad.ExitCode);
        Assert.StartsWith("error: stdin: line 2, column 2 (qty): 'x' is not a valid INT", bad.Stderr);
        Assert.Equal("", bad.Stdout);

        var usage = await RunProcessAsync(null, "scan", Orders, "--snapshot", "1", "--as-of", "2024-01-01");
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("--snapshot and --as-of cannot be used together", usage.Stderr);
    }

    private async Task<CliResult> RunProcessAsync(string? stdin, params string[] args)
    {
        var (code, stdout, stderr) = await BuiltPrograms.RunCliAsync(stdin, args, new Dictionary<string, string?> { ["TABLESTORE_WAREHOUSE"] = Warehouse }, Root);
        return new CliResult(code, stdout, stderr);
    }
}
