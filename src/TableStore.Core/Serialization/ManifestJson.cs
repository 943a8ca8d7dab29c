namespace TableStore.Core.Serialization;

/// <summary>
/// On-disk shapes of manifests and manifest lists (format version 1). Column values (keys, partitions,
/// stats) are stored as their invariant text form and typed again with the schema the file was written
/// with, so files stay readable after schema evolution.
/// </summary>
internal sealed record ManifestJson(int Version, List<ManifestEntryJson> Entries);
