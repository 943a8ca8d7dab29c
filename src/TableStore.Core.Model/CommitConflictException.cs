namespace TableStore.Core;

/// <summary>A commit that cannot be applied on top of the latest snapshot; its files become orphans.</summary>
public sealed class CommitConflictException(string message) : TableStoreException(message);
