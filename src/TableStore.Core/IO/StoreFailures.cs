namespace TableStore.Core.IO;

/// <summary>What a cloud store translates into its own errors, and what it lets through as it is.</summary>
public static class StoreFailures
{
    /// <summary>
    /// True for a failure of the SDK call itself. Not for the engine's own errors (a missing object, already
    /// translated), a bad path (a caller's bug), or the caller's cancellation.
    /// </summary>
    public static bool NeedsTranslation(Exception e, CancellationToken ct) =>
        e is not TableStoreException and not ArgumentException && !(e is OperationCanceledException && ct.IsCancellationRequested);
}
