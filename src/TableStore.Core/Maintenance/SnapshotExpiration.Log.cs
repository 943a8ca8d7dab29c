using Microsoft.Extensions.Logging;

namespace TableStore.Core.Maintenance;

/// <summary>Log events of <see cref="SnapshotExpiration"/> (event ids 1700-1799; docs/logging.md).</summary>
internal static partial class SnapshotExpirationLog
{
    [LoggerMessage(EventId = 1700, Level = LogLevel.Information, Message = "Expired snapshots {First}..{Last} of {Table}: {DataFiles} data files and {Manifests} manifest files deleted; {Protected} snapshots kept for consumers")]
    public static partial void SnapshotsExpired(this ILogger logger, long first, long last, string table, int dataFiles, int manifests, int @protected);
}
