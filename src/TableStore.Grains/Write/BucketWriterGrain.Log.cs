using Microsoft.Extensions.Logging;

namespace TableStore.Grains.Write;

/// <summary>Log events of <see cref="BucketWriterGrain"/> (event ids 2200-2299; docs/logging.md).</summary>
internal static partial class BucketWriterGrainLog
{
    [LoggerMessage(EventId = 2200, Level = LogLevel.Warning, Message = "Bucket writer {Bucket} does not hold {Missing} of {Writes} writes of batch {Batch} (activated after they were sent?)")]
    public static partial void SealMissingWrites(this ILogger logger, string bucket, int missing, int writes, long batch);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Bucket writer {Bucket} refused {Stale} writes of batch {Batch} routed with another schema than {SchemaId}; they are routed again")]
    public static partial void SealRefusedStaleWrites(this ILogger logger, string bucket, int stale, long batch, long schemaId);
}
