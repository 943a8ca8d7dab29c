namespace TableStore.Core;

/// <summary>
/// Base class of every error the engine reports to users. The message always says what was wrong
/// and where (table, file, line, column) so that it can be printed as-is by the CLI.
/// </summary>
public class TableStoreException : Exception
{
    public TableStoreException(string message) : base(message) { }
    public TableStoreException(string message, Exception inner) : base(message, inner) { }

    private const string RetryableKey = "tablestore.retryable";

    /// <summary>
    /// Whether doing the same again may succeed (a write that was certainly or possibly not committed for a passing
    /// reason). Set where the error is raised (<see cref="WithRetryable"/>), else the type's default. Kept in
    /// <see cref="Exception.Data"/>, which Orleans carries from a silo to a client (it rebuilds exceptions without
    /// their constructors, so a field would be lost).
    /// </summary>
    public bool IsRetryable => Data[RetryableKey] is bool retryable ? retryable : RetryableByDefault;

    /// <summary>What <see cref="IsRetryable"/> says when the raiser did not decide: no, unless a type says otherwise.</summary>
    protected virtual bool RetryableByDefault => false;

    /// <summary>Records whether retrying may succeed; returns this exception, for <c>throw e.WithRetryable(...)</c>.</summary>
    public TableStoreException WithRetryable(bool retryable)
    {
        Data[RetryableKey] = retryable;
        return this;
    }
}
