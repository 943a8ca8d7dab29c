using TableStore.Core.Schema;

namespace TableStore.Client;

/// <summary>A scan through the service: output columns, the snapshot read (null: the table has none) and the rows.</summary>
public sealed record ClusterScan(IReadOnlyList<DataField> Columns, long? SnapshotId, IAsyncEnumerable<object?[]> Rows);
