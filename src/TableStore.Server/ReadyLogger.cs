using Microsoft.Extensions.Options;
using TableStore.Grains;
using TableStore.Streaming.Kafka;

namespace TableStore.Server;

/// <summary>Logs one line once the silo serves requests: what a person or a script waits for.</summary>
internal sealed class ReadyLogger(IHostApplicationLifetime lifetime, IOptions<ServerOptions> server, IOptions<TableStoreOptions> store,
    IConfiguration configuration, IEnumerable<SiloTlsCertificate> tls, ILogger<ReadyLogger> log) : IHostedService
{
    public const string ReadyMessage = "TableStore silo ready";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(store.Value.StreamProvider))
        {
            var kafka = configuration.GetSection($"{TableStoreOptions.SectionName}:{TableStoreServer.KafkaSection}").Get<KafkaStreamOptions>();
            if (kafka is { BootstrapServers.Length: > 0 }) log.ChangesOnKafka(store.Value.StreamProvider, kafka.BootstrapServers, kafka.TopicName);
            else log.ChangesInMemory(store.Value.StreamProvider);
        }
        foreach (var c in tls) log.TlsOn(c.Subject, c.Thumbprint, c.NotAfter, c.Trusted);
        lifetime.ApplicationStarted.Register(() =>
        {
            var s = server.Value;
            var warehouse = store.Value.Warehouse.Contains("://", StringComparison.Ordinal) ? store.Value.Warehouse : Path.GetFullPath(store.Value.Warehouse);
            var clustering = s.Clustering.ToLowerInvariant();
            log.SiloReady(warehouse, clustering, s.SiloPort, s.GatewayPort, s.HttpPort, s.ClusterId);
        });
        lifetime.ApplicationStopping.Register(() => log.SiloStopping());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
