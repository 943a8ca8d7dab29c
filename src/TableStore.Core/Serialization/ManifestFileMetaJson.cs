namespace TableStore.Core.Serialization;

internal sealed record ManifestFileMetaJson(
    string FileName, long FileSize, long AddedFiles, long DeletedFiles, long SchemaId,
    List<string?>? MinPartition, List<string?>? MaxPartition);
