namespace TableStore.Core.Maintenance;

public sealed record OrphanFile(string Path, long Size, DateTimeOffset LastModified);
