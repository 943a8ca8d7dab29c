namespace TableStore.Grains.Commit;

/// <summary>
/// A write whose rows sit in bucket writers, ready to commit: its id, the buckets it touched and its size; for a write
/// that may have been sent before, the earliest time a commit of it can have (Unix ms; null for a first attempt).
/// </summary>
[GenerateSerializer, Immutable, Alias("TableStore.WriteTicket")]
public sealed record WriteTicket(
    [property: Id(0)] string WriteId,
    [property: Id(1)] string[] Buckets,
    [property: Id(2)] int Rows,
    [property: Id(3)] long Bytes,
    [property: Id(4)] long? NotBeforeMillis = null);
