namespace TableStore.Client;

/// <summary>How the client retries writes that failed for a reason a retry can fix (a silo failed, a timeout).</summary>
public sealed class TableStoreClientOptions
{
    /// <summary>Tries per write, the first included; every retry carries the same write id, so none commits twice.</summary>
    public int MaxWriteAttempts { get; set; } = 5;

    /// <summary>Wait before the first retry; doubled for each further one.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public void Validate()
    {
        if (MaxWriteAttempts < 1) throw new ArgumentOutOfRangeException(nameof(MaxWriteAttempts), MaxWriteAttempts, "At least one attempt is needed.");
        if (RetryDelay < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RetryDelay), RetryDelay, "The delay must not be negative.");
    }
}
