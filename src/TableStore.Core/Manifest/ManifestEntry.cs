namespace TableStore.Core.Manifest;

/// <summary>One line of a manifest: a data file of (partition, bucket) was added or deleted.</summary>
public sealed record ManifestEntry(FileKind Kind, object?[] Partition, int Bucket, int TotalBuckets, DataFileMeta File)
{
    /// <summary>Identity of the file across ADD and DELETE entries.</summary>
    public FileIdentity Identity => new(PartitionKey.Of(Partition), Bucket, File.FileName);
}
