using System.Reflection;
using System.Text.Json.Nodes;

namespace TableStore.Deploy.Tests.Support;

/// <summary>
/// The Bicep compiler from the NuGet package Azure.Bicep.CommandLine.&lt;runtime&gt; (downloaded by this project's restore for the building machine).
/// Bicep reports type errors and lint findings as warnings with exit code 0, so every diagnostic counts as a failure.
/// </summary>
internal static class BicepCli
{
    private static readonly Lazy<Task<JsonObject>> Compiled = new(() => BuildAsync("bicep/main.bicep"));

    public static string Path { get; } = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "BicepPath").Value!;

    /// <summary>bicep/main.bicep compiled to an ARM template, once per test run.</summary>
    public static Task<JsonObject> MainTemplateAsync() => Compiled.Value;

    public static async Task<JsonObject> BuildAsync(string relativePath)
    {
        var (code, stdout, stderr) = await RunAsync("build", Repository.PathOf(relativePath), "--stdout");
        Assert.True(code == 0 && Diagnostics(stderr).Count == 0, $"bicep build {relativePath} (exit {code}):\n{stderr}");
        return JsonNode.Parse(stdout)!.AsObject();
    }

    /// <summary>Every warning and error <c>bicep lint</c> prints (empty: clean).</summary>
    public static async Task<List<string>> LintAsync(string relativePath)
    {
        var (code, stdout, stderr) = await RunAsync("lint", Repository.PathOf(relativePath));
        var found = Diagnostics(stdout + "\n" + stderr);
        if (code != 0 && found.Count == 0) found.Add($"bicep lint exited with {code}: {stdout}{stderr}");
        return found;
    }

    private static List<string> Diagnostics(string output) =>
        [.. output.Split('\n').Where(l => l.Contains(": Warning ", StringComparison.Ordinal) || l.Contains(": Error ", StringComparison.Ordinal))];

    private static Task<(int, string, string)> RunAsync(params string[] args)
    {
        if (!File.Exists(Path)) throw new FileNotFoundException($"The Bicep compiler is not at {Path}: restore tests/TableStore.Deploy.Tests (it downloads the Azure.Bicep.CommandLine package of this machine).");
        return ProcessRunner.RunAsync(Path, args, Repository.Root, TimeSpan.FromMinutes(2), new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" });
    }
}
