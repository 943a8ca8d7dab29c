namespace TableStore.Client;

/// <summary>How a subscription starts and keeps up.</summary>
public sealed record SubscriptionOptions
{
    /// <summary><c>latest</c>, <c>latest-full</c>, <c>earliest</c>, <c>snapshot:N</c> or <c>timestamp:T</c>.</summary>
    public string Start { get; init; } = "latest";

    /// <summary>
    /// With a consumer id, a subscription resumes where the id's last one stopped, records its progress in the
    /// table after each delivered batch, and expiration keeps what it still needs.
    /// </summary>
    public string? ConsumerId { get; init; }

    /// <summary>
    /// With a consumer id: record progress after each batch (true), or leave it to the caller (false), who then
    /// records it with <see cref="TableStoreClient.SetConsumerAsync"/> once a batch is really done.
    /// </summary>
    public bool RecordProgress { get; init; } = true;

    /// <summary>How often the lake is checked for snapshots the stream did not bring (lost events, a quiet stream).</summary>
    public TimeSpan CatchUpInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Listen on the table's Orleans stream (true) or follow the lake only, every <see cref="CatchUpInterval"/> (false).</summary>
    public bool UseStream { get; init; } = true;

    /// <summary>Snapshots read per catch-up call, at most (a reply also stops once it holds 16 MiB of rows).</summary>
    public int CatchUpBatch { get; init; } = 8;

    /// <summary>
    /// How long resolving the start and each catch-up call may take. A start that does not come in time fails the
    /// subscription's creation; a catch-up call that does not is tried again at the next tick. Null: the client's
    /// <see cref="TableStoreClientOptions.CallTimeout"/>.
    /// </summary>
    public TimeSpan? CallTimeout { get; init; }
}
