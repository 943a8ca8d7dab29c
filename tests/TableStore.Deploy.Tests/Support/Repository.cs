namespace TableStore.Deploy.Tests.Support;

/// <summary>Paths in the repository the tests run from (found by walking up to TableStore.sln).</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.GetFullPath(Path.Combine(Root, relative));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TableStore.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"No TableStore.sln above {AppContext.BaseDirectory}.");
    }
}
