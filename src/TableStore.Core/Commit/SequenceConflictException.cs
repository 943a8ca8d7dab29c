namespace TableStore.Core.Commit;

/// <summary>
/// A primary-key bucket received rows from another writer after this writer assigned its sequence numbers,
/// so this writer's rows would not order after theirs. The writer must rewrite its files with fresh sequence
/// numbers; the files it wrote are orphans and safe to delete.
/// </summary>
public sealed class SequenceConflictException(string message) : TableStoreException(message)
{
    /// <summary>Another writer committed to the same bucket: a later attempt, above its sequence numbers, can succeed.</summary>
    protected override bool RetryableByDefault => true;
}
