namespace TableStore.Core.Manifest;

public readonly record struct FileIdentity(PartitionKey Partition, int Bucket, string FileName);
