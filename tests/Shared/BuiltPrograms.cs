using System.Diagnostics;

namespace TableStore.Tests.Shared;

/// <summary>
/// Finds the built programs the process tests start (the CLI, the server) and the dotnet host that runs them.
/// Shared by the test projects as a linked file.
/// </summary>
internal static class BuiltPrograms
{
    public static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        if (Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet") return path;
        return "dotnet";
    }

    /// <summary>
    /// <paramref name="dll"/> in its own project's output, <c>src/&lt;project&gt;/bin/&lt;Configuration&gt;/&lt;tfm&gt;/</c> beside
    /// the test's bin folder, else with its runtimeconfig next to the test assembly (a referenced project's copy). The
    /// project's own output comes first: the copy in a test's folder may lack assemblies the test itself gets from a
    /// shared framework (ASP.NET Core's logging, say), which the program then cannot load.
    /// </summary>
    public static string Find(string dll, string project)
    {
        var here = AppContext.BaseDirectory;
        // tests/<TestProject>/bin/<Configuration>/<tfm>/ -> src/<project>/bin/<Configuration>/<tfm>/
        var tfm = new DirectoryInfo(here.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfm.Parent!;
        var repo = configuration.Parent!.Parent!.Parent!.Parent!;
        var own = Path.Combine(repo.FullName, "src", project, "bin", configuration.Name, tfm.Name, dll);
        if (File.Exists(own)) return own;
        var local = Path.Combine(here, dll);
        if (File.Exists(local) && File.Exists(Path.ChangeExtension(local, ".runtimeconfig.json"))) return local;
        throw new FileNotFoundException($"{dll} not found at {own} or in {here}: build the solution first.");
    }

    public static string Cli() => Find("tablestore.dll", "TableStore.Cli");

    /// <summary>Runs the CLI to its end with <paramref name="stdin"/> as input and these environment changes (null removes a variable).</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunCliAsync(string? stdin, IEnumerable<string> args,
        IReadOnlyDictionary<string, string?> environment, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        psi.ArgumentList.Add(Cli());
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("TABLESTORE_DEBUG");
        foreach (var (k, v) in environment)
            if (v is null) psi.Environment.Remove(k);
            else psi.Environment[k] = v;

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start the CLI.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"tablestore {string.Join(' ', args)} did not finish within 2 minutes.");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
