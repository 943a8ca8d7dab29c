using TableStore.Core;

namespace TableStore.Abstractions;

/// <summary>
/// A write that was certainly not committed: nothing of it is visible, and retrying it (with the same write id) is
/// safe. The message says why.
/// </summary>
public sealed class WriteNotCommittedException : TableStoreException
{
    public WriteNotCommittedException(string message) : base(message) { }
    public WriteNotCommittedException(string message, Exception inner) : base(message, inner) { }

    public override bool IsRetryable => true;
}
