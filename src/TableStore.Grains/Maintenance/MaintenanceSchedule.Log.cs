using Microsoft.Extensions.Logging;

namespace TableStore.Grains.Maintenance;

/// <summary>Log events of <see cref="MaintenanceSchedule"/> (event ids 2400-2499; docs/logging.md).</summary>
internal static partial class MaintenanceScheduleLog
{
    [LoggerMessage(EventId = 2400, Level = LogLevel.Warning, Message = "Scheduled maintenance of {Table} failed; it runs again at the next interval")]
    public static partial void ScheduledMaintenanceFailed(this ILogger logger, Exception exception, string table);

    [LoggerMessage(EventId = 2401, Level = LogLevel.Information, Message = "Deleted the staged parts of {Count} upload(s) to {Table} abandoned for more than {Timeout}")]
    public static partial void AbandonedUploadsDeleted(this ILogger logger, int count, string table, TimeSpan timeout);
}
