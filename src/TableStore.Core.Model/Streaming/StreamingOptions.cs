namespace TableStore.Core.Streaming;

/// <summary>How a streaming read follows the table.</summary>
public sealed record StreamingOptions
{
    public StreamStart Start { get; init; } = StreamStart.Latest;

    /// <summary>
    /// Records progress under this id (<c>consumer/consumer-&lt;id&gt;</c>): a read with an id that has progress
    /// resumes after the last snapshot it finished, whatever <see cref="Start"/> says, and expiration keeps the
    /// snapshots it still needs.
    /// </summary>
    public string? ConsumerId { get; init; }

    /// <summary>How often the snapshot list is checked while waiting for the next commit.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// With a change log (a hybrid read): how long the log may stay quiet before the lake is checked for snapshots it
    /// did not bring (compactions, which are never published, and publishes that were lost).
    /// </summary>
    public TimeSpan LakeCheckInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>End the read when no new snapshot arrives for this long; null: follow until cancelled.</summary>
    public TimeSpan? IdleTimeout { get; init; }
}
