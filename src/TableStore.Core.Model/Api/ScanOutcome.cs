using TableStore.Core.Schema;

namespace TableStore.Core.Api;

/// <summary>A scan's output columns, the snapshot read (null: the table has none) and its rows, read lazily.</summary>
public sealed record ScanOutcome(IReadOnlyList<DataField> Columns, long? SnapshotId, IAsyncEnumerable<object?[]> Rows);
