namespace TableStore.Cli.Tests.Support;

/// <summary>What one CLI invocation printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string[] StdoutLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}--- stderr ---\n{Stderr}";
}

/// <summary>
/// Each test gets a fresh temporary folder holding its warehouse (xunit creates one instance per test), and
/// runs the CLI in-process through <see cref="CliApp.RunAsync"/> with TABLESTORE_WAREHOUSE pointing there.
/// </summary>
public abstract class CliTestBase : IDisposable
{
    public const string Orders = "shop.orders";
    public const string OrdersSchema = "id BIGINT NOT NULL, customer STRING, amount DECIMAL(10,2), qty INT NOT NULL, day DATE";

    public const string SeedCsv =
        "id,customer,amount,qty,day\n" +
        "1,alice,10.50,1,2024-05-01\n" +
        "2,bob,,2,2024-05-02\n" +
        "3,\"carol, jr\",-3.25,3,\n";

    protected CliTestBase()
    {
        Root = Path.Combine(Path.GetTempPath(), "tablestore-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        Warehouse = Path.Combine(Root, "warehouse");
        Env = new Dictionary<string, string?> { ["TABLESTORE_WAREHOUSE"] = Warehouse };
    }

    /// <summary>The test's own folder; the warehouse is its subfolder <c>warehouse</c>.</summary>
    protected string Root { get; }
    protected string Warehouse { get; }
    protected Dictionary<string, string?> Env { get; }

    protected Task<CliResult> RunAsync(params string[] args) => RunWithInputAsync("", args);

    protected async Task<CliResult> RunWithInputAsync(string stdin, params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        int code = await CliApp.RunAsync(args, new StringReader(stdin), stdout, stderr, Env);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs a command that must succeed.</summary>
    protected async Task<CliResult> OkAsync(params string[] args) => Ok(await RunAsync(args));

    protected async Task<CliResult> OkWithInputAsync(string stdin, params string[] args) => Ok(await RunWithInputAsync(stdin, args));

    private static CliResult Ok(CliResult r)
    {
        Assert.True(r.ExitCode == 0, r.ToString());
        return r;
    }

    /// <summary>Runs a command that must fail with an error message on stderr and nothing but it.</summary>
    protected async Task<CliResult> FailAsync(params string[] args) => Failed(await RunAsync(args));

    protected async Task<CliResult> FailWithInputAsync(string stdin, params string[] args) => Failed(await RunWithInputAsync(stdin, args));

    private static CliResult Failed(CliResult r)
    {
        Assert.True(r.ExitCode != 0, r.ToString());
        Assert.StartsWith("error: ", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr); // no stack trace
        return r;
    }

    /// <summary>Creates shop.orders (primary key id, one bucket so scans come out in key order).</summary>
    protected Task CreateOrdersAsync() => OkAsync("table", "create", Orders, "--schema", OrdersSchema, "--primary-key", "id");

    /// <summary>Creates shop.orders and commits <see cref="SeedCsv"/> as snapshot 1.</summary>
    protected async Task CreateSeededOrdersAsync()
    {
        await CreateOrdersAsync();
        var r = await OkWithInputAsync(SeedCsv, "write", Orders);
        Assert.Equal("1", r.Stdout.Trim());
    }

    /// <summary>Everything a user can observe about a table: its snapshot list and its latest contents.</summary>
    protected async Task<string> TableStateAsync(string table = Orders)
    {
        var snapshots = await OkAsync("snapshots", table, "--format", "csv");
        var scan = await OkAsync("scan", table, "--format", "csv");
        return snapshots.Stdout + "\n" + scan.Stdout;
    }

    /// <summary>Every file and folder under the test's root, relative to it.</summary>
    protected string[] FilesUnderRoot() =>
        Directory.EnumerateFileSystemEntries(Root, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Root, p)).Order(StringComparer.Ordinal).ToArray();

    protected string WriteInputFile(string name, string content)
    {
        var path = Path.Combine(Root, name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}
