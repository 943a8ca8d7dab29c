namespace TableStore.Core.IO;

public sealed record ObjectInfo(string Path, long Size, DateTimeOffset LastModified);
