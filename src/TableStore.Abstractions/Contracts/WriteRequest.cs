namespace TableStore.Abstractions;

/// <summary>
/// Rows for one atomic write: each row's kind and values in schema order, encoded with
/// <see cref="Core.Serialization.RowBatchCodec"/> (compact, no per-value type names or reference tracking, which
/// dominate the cost of sending <c>object?[]</c> rows through Orleans' serializer). <see cref="WriteId"/> makes
/// retries safe: a write whose id is already committed is not committed again (within the service's
/// deduplication window, and beyond it for a retry that says how long ago it was first sent).
/// </summary>
[GenerateSerializer, Immutable, Alias("TableStore.WriteRequest")]
public sealed record WriteRequest(
    [property: Id(0)] string WriteId,
    [property: Id(1)] byte[] Rows)
{
    /// <summary>INSERT OVERWRITE: the rows replace the whole table, or the partitions <see cref="OverwritePartition"/> selects.</summary>
    [Id(2)] public bool Overwrite { get; init; }

    /// <summary>With <see cref="Overwrite"/>: partition column → value (some or all partition columns), or null for the whole table.</summary>
    [Id(3)] public IReadOnlyDictionary<string, string>? OverwritePartition { get; init; }

    /// <summary>
    /// Set on a retry: how long ago the write was first sent (a duration, so no clocks need agree). The silo then
    /// looks for a commit of it among all snapshots since, not only the recent ones it remembers.
    /// </summary>
    [Id(4)] public TimeSpan? SinceFirstAttempt { get; init; }
}

