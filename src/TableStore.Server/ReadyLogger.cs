using Microsoft.Extensions.Options;
using TableStore.Grains;

namespace TableStore.Server;

/// <summary>Logs one line once the silo serves requests: what a person or a script waits for.</summary>
internal sealed class ReadyLogger(IHostApplicationLifetime lifetime, IOptions<ServerOptions> server, IOptions<TableStoreOptions> store,
    IConfiguration configuration, IEnumerable<SiloTlsCertificate> tls, ILogger<ReadyLogger> log) : IHostedService
{
    public const string ReadyMessage = "TableStore silo ready";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // The deployment already hands the silo its Kafka endpoint (Event Hubs); no stream provider reads it yet.
        if (configuration[$"{TableStoreOptions.SectionName}:Kafka:BootstrapServers"] is { Length: > 0 } kafka)
            log.KafkaNotUsed(kafka, store.Value.StreamProvider);
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
