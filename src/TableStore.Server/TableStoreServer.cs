using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using TableStore.Grains;
using TableStore.Grains.Hosting;

namespace TableStore.Server;

/// <summary>
/// Builds the silo host from configuration: appsettings.json, then environment variables (<c>TableStore__...</c>),
/// then the command line (<c>--TableStore:Warehouse=...</c>). Tests build the same host with their own settings.
/// </summary>
public static class TableStoreServer
{
    public const string StreamProviderName = "TableStore";

    public static IHost Build(string[] args, Action<IConfigurationBuilder>? configure = null)
    {
        TableStore.ObjectStores.Azure.AzureWarehouse.Register(); // az:// warehouses
        TableStore.ObjectStores.S3.S3Warehouse.Register(); // s3:// warehouses
        // appsettings.json sits next to the binary, wherever the silo is started from; relative paths in settings
        // (the warehouse) still resolve against the working directory.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder.Configuration);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-dd HH:mm:ss.fff ";
            o.UseUtcTimestamp = true;
        });
        var section = builder.Configuration.GetSection(TableStoreOptions.SectionName);
        var server = section.Get<ServerOptions>() ?? new ServerOptions();
        server.Validate();
        builder.Services.AddSingleton(Options.Create(server));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(45));

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = server.ClusterId;
                o.ServiceId = server.ServiceId;
            });
            if (server.IsRedis)
            {
                silo.UseRedisClustering(server.Redis!);
                if (server.AdvertisedAddress is { } address) silo.ConfigureEndpoints(IPAddress.Parse(address), server.SiloPort, server.GatewayPort);
                else silo.ConfigureEndpoints(server.SiloPort, server.GatewayPort);
            }
            else
            {
                silo.UseLocalhostClustering(server.SiloPort, server.GatewayPort, serviceId: server.ServiceId, clusterId: server.ClusterId);
            }
            silo.AddTableStore(section);
            // Changes are published on the provider TableStore:StreamProvider names (the embedded default: in-memory).
            var streams = section.GetValue<string?>(nameof(TableStoreOptions.StreamProvider)) ?? StreamProviderName;
            if (!string.IsNullOrEmpty(streams))
            {
                silo.AddMemoryGrainStorage("PubSubStore");
                silo.AddMemoryStreams(streams);
            }
        });
        builder.Services.AddHostedService<ReadyLogger>();
        return builder.Build();
    }
}

/// <summary>Logs one line once the silo serves requests: what a person or a script waits for.</summary>
internal sealed class ReadyLogger(IHostApplicationLifetime lifetime, IOptions<ServerOptions> server, IOptions<TableStoreOptions> store,
    ILogger<ReadyLogger> log) : IHostedService
{
    public const string ReadyMessage = "TableStore silo ready";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var s = server.Value;
            var warehouse = store.Value.Warehouse.Contains("://", StringComparison.Ordinal) ? store.Value.Warehouse : Path.GetFullPath(store.Value.Warehouse);
            log.LogInformation(ReadyMessage + ": warehouse {Warehouse}, clustering {Clustering}, silo port {SiloPort}, gateway port {GatewayPort}, cluster {ClusterId}",
                warehouse, s.Clustering.ToLowerInvariant(), s.SiloPort, s.GatewayPort, s.ClusterId);
        });
        lifetime.ApplicationStopping.Register(() => log.LogInformation("TableStore silo stopping: committing accepted writes, then leaving the cluster"));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
