using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using TableStore.Grains;
using TableStore.Grains.Hosting;
using TableStore.ObjectStores.Azure;
using TableStore.ObjectStores.S3;
using TableStore.Server.Clustering;
using TableStore.Server.Health;
using TableStore.Server.Telemetry;
using TableStore.Streaming.Kafka;
using TableStore.Streaming.Kafka.Hosting;

namespace TableStore.Server;

/// <summary>
/// Builds the silo host from configuration: appsettings.json, then environment variables (<c>TableStore__...</c>),
/// then the command line (<c>--TableStore:Warehouse=...</c>). Tests build the same host with their own settings.
/// Besides the silo and gateway ports it serves HTTP on <see cref="ServerOptions.HttpPort"/>: health checks and,
/// when switched on, the Orleans Dashboard.
/// </summary>
public static class TableStoreServer
{
    public const string DashboardPath = "/dashboard";

    /// <summary>The section under <c>TableStore</c> with the Kafka stream provider's settings (<see cref="KafkaStreamOptions"/>).</summary>
    public const string KafkaSection = "Kafka";

    public static IHost Build(string[] args, Action<IConfigurationBuilder>? configure = null)
    {
        // appsettings.json sits next to the binary, wherever the silo is started from; relative paths in settings
        // (the warehouse) still resolve against the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder.Configuration);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-dd HH:mm:ss.fff ";
            o.UseUtcTimestamp = true;
        });
        var section = builder.Configuration.GetSection(TableStoreOptions.SectionName);
        var server = section.Get<ServerOptions>() ?? new ServerOptions();
        // Validated now as well as at silo start: the ports and addresses below are used before the silo starts.
        new ServerOptionsValidator(Options.Create(server)).ValidateConfiguration();
        server.EnsurePortsFree();
        builder.Services.AddSingleton(Options.Create(server));
        builder.Services.AddSingleton<IConfigurationValidator, ServerOptionsValidator>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(45));
        // HTTP (health, dashboard) on loopback, unless the silo listens on every address (a container, whose probes
        // come from outside it): the dashboard has no authentication.
        builder.WebHost.ConfigureKestrel(k => k.Listen(server.HttpAddress, server.HttpPort));

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
                if (server.IsEntraRedis) silo.Services.AddEntraRedisSignIn();
                if (server.AdvertisedAddress is { } address) silo.ConfigureEndpoints(IPAddress.Parse(address), server.SiloPort, server.GatewayPort, server.ListenOnAnyAddress);
                else silo.ConfigureEndpoints(server.SiloPort, server.GatewayPort, listenOnAnyHostAddress: server.ListenOnAnyAddress);
            }
            else
            {
                silo.UseLocalhostClustering(server.SiloPort, server.GatewayPort, serviceId: server.ServiceId, clusterId: server.ClusterId);
            }
            silo.UseTableStoreTls(server);
            silo.AddTableStore(section);
            silo.Services.AddAzureWarehouses().AddS3Warehouses(); // az:// and s3:// warehouses
            // Changes are published on the provider TableStore:StreamProvider names: on Kafka when TableStore:Kafka has
            // brokers, else in memory (the embedded default).
            var streams = section.GetValue<string?>(nameof(TableStoreOptions.StreamProvider)) ?? TableStore.Abstractions.ChangeStreams.DefaultProvider;
            if (!string.IsNullOrEmpty(streams))
            {
                silo.AddMemoryGrainStorage("PubSubStore");
                silo.AddKafkaOrMemoryStreams(streams, section.GetSection(KafkaSection));
            }
            if (server.Dashboard) silo.AddDashboard();
        });
        builder.Services.AddSiloHealthChecks();
        builder.Services.AddSiloTelemetry(builder.Configuration);
        builder.Services.AddHostedService<ReadyLogger>();

        var app = builder.Build();
        app.MapSiloHealthChecks();
        if (server.Dashboard) app.MapOrleansDashboard(routePrefix: DashboardPath);
        return app;
    }
}
