using System.Diagnostics;
using TableStore.Cli.Tests.Support;

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
        var psi = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Root,
        };
        psi.ArgumentList.Add(FindCliDll());
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["TABLESTORE_WAREHOUSE"] = Warehouse;
        psi.Environment.Remove("TABLESTORE_DEBUG");

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start the CLI.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        if (Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet") return path;
        return "dotnet";
    }

    /// <summary>tablestore.dll next to the test assembly (copied as a project reference), else in the Cli project's bin folder.</summary>
    private static string FindCliDll()
    {
        var here = AppContext.BaseDirectory;
        var local = Path.Combine(here, "tablestore.dll");
        if (File.Exists(local) && File.Exists(Path.Combine(here, "tablestore.runtimeconfig.json"))) return local;
        // tests/TableStore.Cli.Tests/bin/<Configuration>/<tfm>/ -> src/TableStore.Cli/bin/<Configuration>/<tfm>/
        var tfm = new DirectoryInfo(here.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfm.Parent!;
        var repo = configuration.Parent!.Parent!.Parent!.Parent!;
        var candidate = Path.Combine(repo.FullName, "src", "TableStore.Cli", "bin", configuration.Name, tfm.Name, "tablestore.dll");
        return File.Exists(candidate) ? candidate : throw new FileNotFoundException($"tablestore.dll not found in {here} or at {candidate}.");
    }
}
