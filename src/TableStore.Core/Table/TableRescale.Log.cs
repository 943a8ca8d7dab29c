using Microsoft.Extensions.Logging;

namespace TableStore.Core.Table;

/// <summary>Log events of <see cref="TableRescale"/> (event ids 1600-1699; docs/logging.md).</summary>
internal static partial class TableRescaleLog
{
    [LoggerMessage(EventId = 1600, Level = LogLevel.Information, Message = "Rescaled {Table} to {Buckets} buckets: {Partitions} partitions, {Rows} rows, snapshot {SnapshotId}")]
    public static partial void TableRescaled(this ILogger logger, Identifier table, int buckets, int partitions, int rows, long? snapshotId);
}
