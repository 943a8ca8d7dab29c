using Microsoft.Extensions.Logging;

namespace TableStore.Grains.Ingest;

/// <summary>Log events of ingestion jobs: <see cref="IngestJobRun"/> and <see cref="IngestJobKeeper"/> (event ids 2800-2899; docs/logging.md).</summary>
internal static partial class IngestJobsLog
{
    [LoggerMessage(EventId = 2800, Level = LogLevel.Information, Message = "Ingestion job {Job} started: Kafka topic {Topic} into {Table}, on {Silo}")]
    public static partial void IngestJobStarted(this ILogger logger, string job, string topic, string table, string silo);

    [LoggerMessage(EventId = 2801, Level = LogLevel.Error, Message = "Ingestion job {Job} failed and stays stopped until it is started again")]
    public static partial void IngestJobFailed(this ILogger logger, Exception exception, string job);

    [LoggerMessage(EventId = 2802, Level = LogLevel.Warning, Message = "Ingestion job {Job} stopped by an error; it resumes from the table's offsets in {PauseSeconds} s")]
    public static partial void IngestJobRetrying(this ILogger logger, Exception exception, string job, double pauseSeconds);

    [LoggerMessage(EventId = 2803, Level = LogLevel.Warning, Message = "Ingestion job {Job} did not stop within {TimeoutSeconds} s; it ends once the commit under way does (a later run is fenced until then)")]
    public static partial void IngestJobStopSlow(this ILogger logger, string job, double timeoutSeconds);

    [LoggerMessage(EventId = 2804, Level = LogLevel.Warning, Message = "Could not check ingestion job {Job}; the next check tries again")]
    public static partial void IngestJobCheckFailed(this ILogger logger, Exception exception, string job);

    [LoggerMessage(EventId = 2805, Level = LogLevel.Warning, Message = "Could not list the ingestion jobs in the warehouse; the next check tries again")]
    public static partial void IngestJobListFailed(this ILogger logger, Exception exception);
}
