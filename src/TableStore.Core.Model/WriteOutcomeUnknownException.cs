namespace TableStore.Core;

/// <summary>
/// A write that may or may not have been committed (the commit's outcome was lost, e.g. its silo failed at the
/// commit point). Retrying it with the same write id is safe: a committed write is recognised and not written twice.
/// </summary>
public sealed class WriteOutcomeUnknownException : TableStoreException
{
    public WriteOutcomeUnknownException(string message) : base(message) { }
    public WriteOutcomeUnknownException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Only a retry with the same write id can tell whether it was committed.</summary>
    protected override bool RetryableByDefault => true;
}
