using TableStore.Core.Manifest;
namespace TableStore.Core.Tags;

/// <summary>A named snapshot: readable by name for as long as the tag exists.</summary>
public sealed record Tag(string Name, Snapshot Snapshot);
