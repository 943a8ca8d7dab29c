namespace TableStore.Core;

public sealed class SnapshotNotFoundException(string message) : TableStoreException(message);
