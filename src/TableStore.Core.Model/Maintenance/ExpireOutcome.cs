namespace TableStore.Core.Maintenance;

/// <param name="ProtectedByConsumers">Snapshots that would have expired but a consumer still needs.</param>
public sealed record ExpireOutcome(int SnapshotsExpired, long? EarliestRetained, int DataFilesDeleted, int ManifestFilesDeleted, int ProtectedByConsumers);
