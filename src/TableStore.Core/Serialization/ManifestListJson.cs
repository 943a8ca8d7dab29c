namespace TableStore.Core.Serialization;

internal sealed record ManifestListJson(int Version, List<ManifestFileMetaJson> Manifests);
