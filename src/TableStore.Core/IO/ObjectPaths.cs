namespace TableStore.Core.IO;

/// <summary>Path checks shared by the stores: no escaping the root, no empty segments.</summary>
public static class ObjectPaths
{
    public static string Validate(string path)
    {
        if (string.IsNullOrEmpty(path) || path.StartsWith('/') || path.Contains('\\') || path.Contains('\0'))
            throw new ArgumentException($"Invalid object path '{path}'.", nameof(path));
        foreach (var segment in path.Split('/'))
            if (segment is "" or "." or "..")
                throw new ArgumentException($"Invalid object path '{path}'.", nameof(path));
        return path;
    }
}
