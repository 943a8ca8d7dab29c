using Microsoft.Extensions.Logging;

namespace TableStore.Grains.Commit;

/// <summary>Log events of <see cref="CommitGrain"/> (event ids 2000-2099; docs/logging.md).</summary>
internal static partial class CommitGrainLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Committing the writes waiting for {Table} before deactivating ({Reason})")]
    public static partial void CommittingBeforeDeactivation(this ILogger logger, string table, string reason);
}
