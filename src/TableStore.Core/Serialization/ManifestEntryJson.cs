using TableStore.Core.Manifest;

namespace TableStore.Core.Serialization;

internal sealed record ManifestEntryJson(FileKind Kind, List<string?> Partition, int Bucket, int TotalBuckets, DataFileJson File);
