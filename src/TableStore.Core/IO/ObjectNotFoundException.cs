namespace TableStore.Core.IO;

public sealed class ObjectNotFoundException(string location, string path)
    : TableStoreException($"Object '{path}' does not exist in {location}.")
{
    public string Path { get; } = path;
}
