namespace TableStore.Server.Clustering;

/// <summary>Log events of <see cref="EntraRedisConnection"/> (event ids 3100-3199; docs/logging.md).</summary>
internal static partial class EntraRedisConnectionLog
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Debug, Message = "Redis connection signed in again with a token valid until {ExpiresOn}")]
    public static partial void RedisTokenRefreshed(this ILogger logger, DateTimeOffset expiresOn);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Refreshing the Entra ID token of the Redis connection failed; trying again in 30 s")]
    public static partial void RedisTokenRefreshFailed(this ILogger logger, Exception exception);
}
