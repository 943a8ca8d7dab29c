namespace TableStore.Core;

/// <summary>
/// A write that was certainly not committed: nothing of it is visible, and retrying it (with the same write id) is
/// safe; whether it can succeed is <see cref="TableStoreException.IsRetryable"/>. The message says why.
/// </summary>
public sealed class WriteNotCommittedException : TableStoreException
{
    public WriteNotCommittedException(string message) : base(message) { }
    public WriteNotCommittedException(string message, Exception inner) : base(message, inner) { }

    /// <summary>
    /// Retrying is safe, and helps unless the write failed for a reason that stays (bad input, a conflict a retry
    /// meets again): then the inner error says no.
    /// </summary>
    protected override bool RetryableByDefault => InnerException is not TableStoreException inner || inner.IsRetryable;
}
