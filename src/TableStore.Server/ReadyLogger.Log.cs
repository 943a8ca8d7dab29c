namespace TableStore.Server;

/// <summary>Log events of <see cref="ReadyLogger"/>, the silo's start and stop lines (event ids 3000-3099; docs/logging.md).</summary>
internal static partial class ReadyLoggerLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Table changes travel on stream provider '{Streams}' over Kafka at {Kafka}, topic {Topic}")]
    public static partial void ChangesOnKafka(this ILogger logger, string streams, string kafka, string topic);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Table changes travel on stream provider '{Streams}' in memory (within this cluster's silos; set TableStore:Kafka:BootstrapServers for Kafka)")]
    public static partial void ChangesInMemory(this ILogger logger, string streams);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = ReadyLogger.ReadyMessage + ": warehouse {Warehouse}, clustering {Clustering}, silo port {SiloPort}, gateway port {GatewayPort}, http port {HttpPort}, cluster {ClusterId}")]
    public static partial void SiloReady(this ILogger logger, string warehouse, string clustering, int siloPort, int gatewayPort, int httpPort, string clusterId);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "TableStore silo stopping: committing accepted writes, then leaving the cluster")]
    public static partial void SiloStopping(this ILogger logger);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "TLS on the silo and gateway ports: certificate {Subject} ({Thumbprint}), valid until {NotAfter:u}; other silos must chain to {Trusted}")]
    public static partial void TlsOn(this ILogger logger, string subject, string thumbprint, DateTime notAfter, string trusted);
}
