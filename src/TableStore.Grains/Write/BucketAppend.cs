namespace TableStore.Grains.Write;

/// <summary>
/// One write's rows for one bucket, validated, typed and routed by the table grain with schema <see cref="SchemaId"/>:
/// the bucket writer commits them only with exactly that schema (an older cached one is reloaded; rows routed with
/// an outdated one are refused at seal, and their write is routed again). A staged write (too large for one message)
/// carries no rows but the paths of its staged objects (<see cref="Core.Table.StagedWrites"/>), read at the flush.
/// </summary>
[GenerateSerializer, Immutable, Alias("TableStore.BucketAppend")]
public sealed record BucketAppend(
    [property: Id(0)] string WriteId,
    [property: Id(1)] object?[] Partition,
    [property: Id(2)] RowBatch Rows,
    [property: Id(3)] long SchemaId,
    [property: Id(4)] IReadOnlyList<string>? Staged = null);
