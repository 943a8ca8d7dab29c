using Xunit.Abstractions;

namespace TableStore.Core.Tests.Support;

/// <summary>Runs a random (seeded) case; when it fails, says which case reproduces it.</summary>
internal static class Seeded
{
    public static async Task RunAsync(ITestOutputHelper output, string description, Func<Task> run)
    {
        try { await run(); }
        catch (Exception)
        {
            output.WriteLine($"Failed: {description}. Rerun this case to reproduce it.");
            throw;
        }
    }
}
