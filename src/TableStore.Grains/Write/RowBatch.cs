using TableStore.Core.Serialization;

namespace TableStore.Grains.Write;

/// <summary>
/// Validated rows on their way to a bucket writer. Immutable, so a call within a silo hands over the arrays as
/// they are (no copy, no serialization); between silos it travels as one <see cref="RowBatchCodec"/> byte array
/// (<see cref="RowBatchSurrogateConverter"/>) rather than value by value through Orleans' serializer.
/// </summary>
[Immutable]
public sealed class RowBatch(byte[] kinds, object?[][] rows)
{
    /// <summary>No rows (a staged write's append, whose rows are on the store).</summary>
    public static readonly RowBatch Empty = new([], []);

    public byte[] Kinds { get; } = kinds;
    public object?[][] Rows { get; } = rows;
}
