namespace TableStore.Core.Manifest;

/// <summary>A manifest file as listed in a manifest list, with the partition range it covers for pruning.</summary>
public sealed record ManifestFileMeta(
    string FileName,
    long FileSize,
    long AddedFiles,
    long DeletedFiles,
    long SchemaId,
    object?[]? MinPartition,
    object?[]? MaxPartition);
