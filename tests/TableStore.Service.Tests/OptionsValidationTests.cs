using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TableStore.Client;
using TableStore.Core;
using TableStore.Core.IO;
using TableStore.Core.Tests.Support;
using TableStore.Grains;
using TableStore.Grains.Hosting;
using TableStore.ObjectStores.Azure;
using TableStore.ObjectStores.S3;
using TableStore.Server;
using TableStore.Streaming.Kafka.Hosting;
using TableStore.Testing;

namespace TableStore.Service.Tests;

/// <summary>
/// Every service option class is checked by an Orleans <see cref="IConfigurationValidator"/> when the silo or client
/// starts, and a wrong setting stops it with a message that names the setting by its configuration path.
/// </summary>
public sealed class OptionsValidationTests
{
    private static HostApplicationBuilder Silo(Action<ISiloBuilder> configure)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(LocalServers.FreePort(), LocalServers.FreePort());
            configure(silo);
        });
        return builder;
    }

    [Theory]
    [InlineData("CommitInterval", "TableStore:CommitInterval must be between 0 and 10 minutes, got 00:00:00.")]
    [InlineData("ObjectStore", "TableStore:ObjectStore:MaxRetries must be between 0 and 50, got 99.")]
    public async Task A_silo_with_a_bad_setting_does_not_start_and_names_it(string setting, string message)
    {
        // A local folder: a warehouse opened by an IWarehouseOpener (memory://, s3://, az://) has its ObjectStore
        // settings checked by the factory when the runtime is built, before the silo's validators run.
        var warehouse = Directory.CreateTempSubdirectory("ts-options-");
        try
        {
            using var host = Silo(silo => silo.AddTableStore(o =>
            {
                o.Warehouse = warehouse.FullName;
                if (setting == "CommitInterval") o.CommitInterval = TimeSpan.Zero;
                else o.ObjectStore.MaxRetries = 99;
            })).Build();
            var e = await Assert.ThrowsAsync<OrleansConfigurationException>(() => host.StartAsync());
            Assert.Equal(message, e.Message);
        }
        finally
        {
            warehouse.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_server_settings_are_validated_before_the_host_is_built_and_again_by_the_silo()
    {
        var e = Assert.Throws<OrleansConfigurationException>(() => TableStoreServer.Build(["--TableStore:HttpPort=0"]));
        Assert.Equal("Invalid TableStore server settings: TableStore:HttpPort must be between 1 and 65535, got 0.", e.Message);

        var services = new ServiceCollection();
        services.AddSingleton(Options.Create(new ServerOptions { Clustering = "etcd" }));
        services.AddTransient<IConfigurationValidator, ServerOptionsValidator>();
        var validator = Assert.Single(services.BuildServiceProvider().GetServices<IConfigurationValidator>());
        Assert.Contains("TableStore:Clustering must be 'localhost' or 'redis', got 'etcd'.", Assert.Throws<OrleansConfigurationException>(validator.ValidateConfiguration).Message);
        // The method the deployment tests call keeps its exception type and now names the path too.
        Assert.Contains("TableStore:SiloPort and TableStore:GatewayPort must differ", Assert.Throws<InvalidOperationException>(new ServerOptions { GatewayPort = 11111 }.Validate).Message);
    }

    [Theory]
    [InlineData("broker", "Kafka stream provider 'changes': KafkaStreamOptions.BootstrapServers (TableStore:Kafka:BootstrapServers on a TableStore silo) has 'broker', which is not host:port.")]
    [InlineData("topic", "Kafka stream provider 'changes': KafkaStreamOptions.Topic (TableStore:Kafka:Topic on a TableStore silo) gives the topic 'my topic': a Kafka topic name is 1 to 249 of a-z, A-Z, 0-9, '.', '_' and '-'.")]
    [InlineData("sasl", "Kafka stream provider 'changes': KafkaStreamOptions.ConnectionString (TableStore:Kafka:ConnectionString on a TableStore silo) is set together with other SASL settings: a connection string already means SASL PLAIN with user $ConnectionString; set one or the other.")]
    public async Task A_silo_with_bad_Kafka_settings_does_not_start_and_names_the_setting(string problem, string message)
    {
        using var host = Silo(silo => silo.AddMemoryGrainStorage("PubSubStore").AddKafkaStreams("changes", (Streaming.Kafka.KafkaStreamOptions o) =>
        {
            o.BootstrapServers = problem == "broker" ? "broker" : "127.0.0.1:9092";
            if (problem == "topic") o.Topic = "my topic";
            if (problem == "sasl") (o.ConnectionString, o.SaslUsername) = ("Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=s", "me");
        })).Build();
        var e = await Assert.ThrowsAsync<OrleansConfigurationException>(() => host.StartAsync());
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public async Task A_client_with_a_bad_setting_does_not_start_and_names_it()
    {
        using var host = Host.CreateDefaultBuilder()
            .UseOrleansClient(client => client.UseLocalhostClustering(LocalServers.FreePort()).AddTableStoreClient(o => o.WriteTimeout = TimeSpan.Zero))
            .Build();
        var e = await Assert.ThrowsAsync<OrleansConfigurationException>(() => host.StartAsync());
        Assert.Equal("TableStoreClient:WriteTimeout must be more than 0 and at most a day, got 00:00:00.", e.Message);

        var direct = Assert.Throws<ArgumentOutOfRangeException>(() => new TableStoreClientOptions { RetryDelay = TimeSpan.FromSeconds(10) }.Validate());
        Assert.Equal("MaxRetryDelay", direct.ParamName);
        Assert.StartsWith("TableStoreClient:MaxRetryDelay must not be shorter than RetryDelay (00:00:10).", direct.Message);
    }

    [Fact]
    public void A_silo_opens_the_warehouse_with_the_stores_registered_on_it()
    {
        using var bare = Silo(silo => silo.AddTableStore(o => o.Warehouse = "az://acct/container/wh")).Build();
        var missing = Assert.Throws<InvalidInputException>(() => bare.Services.GetRequiredService<TableStoreRuntime>());
        Assert.Contains("Unsupported warehouse URI scheme 'az'", missing.Message);
        Assert.Contains("AddAzureWarehouses()", missing.Message);

        using var cloud = Silo(silo =>
        {
            silo.AddTableStore(o => o.Warehouse = "memory://");
            silo.Services.AddS3Warehouses().AddAzureWarehouses().AddS3Warehouses().AddMemoryWarehouses();
        }).Build();
        Assert.Equal(["az", "memory", "s3"], cloud.Services.GetRequiredService<ObjectStoreFactory>().Schemes);
        Assert.Equal("memory://", cloud.Services.GetRequiredService<TableStoreRuntime>().Store.Location);
    }
}
