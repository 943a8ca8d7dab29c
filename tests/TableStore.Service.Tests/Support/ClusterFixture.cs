using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;
using TableStore.Client;
using TableStore.Grains.Hosting;
using TableStore.ObjectStores.Azure;
using TableStore.ObjectStores.S3;
using TableStore.Streaming.Kafka.Hosting;

namespace TableStore.Service.Tests.Support;

/// <summary>
/// A TestCluster of silos in this process sharing one warehouse folder, with fast failure detection so a killed
/// silo is noticed in seconds, and a <see cref="TableStoreClient"/> on the cluster client.
/// </summary>
public abstract class ClusterFixture : IAsyncLifetime
{
    protected ClusterFixture(int silos, string commitInterval = "00:00:00.020", int maxWriteAttempts = 5)
    {
        Silos = silos;
        CommitInterval = commitInterval;
        MaxWriteAttempts = maxWriteAttempts;
    }

    public int Silos { get; }
    public string CommitInterval { get; }
    public int MaxWriteAttempts { get; }
    /// <summary>The warehouse every silo shares: a temporary folder, unless a fixture puts it elsewhere.</summary>
    public string Warehouse { get; private set; } = "";
    public TestCluster Cluster { get; private set; } = null!;
    public TableStoreClient Client => Cluster.Client.ServiceProvider.GetRequiredService<TableStoreClient>();

    /// <summary>Creates the warehouse and returns its location (a folder here; a cloud URI in fixtures that override it).</summary>
    protected virtual Task<string> CreateWarehouseAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "ts-cluster-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        return Task.FromResult(folder);
    }

    protected virtual Task DeleteWarehouseAsync()
    {
        try { Directory.Delete(Warehouse, recursive: true); }
        catch (IOException) { }
        return Task.CompletedTask;
    }

    public async Task InitializeAsync()
    {
        Warehouse = await CreateWarehouseAsync();
        var builder = new TestClusterBuilder((short)Silos);
        builder.Properties["TableStore:Warehouse"] = Warehouse;
        builder.Properties["TableStore:CommitInterval"] = CommitInterval;
        builder.Properties["TableStore:MaintenanceCheckInterval"] = "00:00:00.200";
        // Schema changes made through one silo must reach the others' writes without waiting for a refresh: a
        // refresh longer than any test makes a stale cached schema certain instead of a race.
        builder.Properties["TableStore:SchemaRefreshInterval"] = "01:00:00";
        builder.Properties["TableStoreClient:MaxWriteAttempts"] = MaxWriteAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Configure(builder);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    /// <summary>More settings for the silos and the client (<c>builder.Properties</c>), in fixtures that need them.</summary>
    protected virtual void Configure(TestClusterBuilder builder) { }

    public virtual async Task DisposeAsync()
    {
        try { await Cluster.StopAllSilosAsync(); }
        catch (Exception) { /* a killed silo may throw on stop */ }
        await Cluster.DisposeAsync();
        await DeleteWarehouseAsync();
    }

    public sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddTableStore(siloBuilder.Configuration.GetSection("TableStore"));
            siloBuilder.Services.AddAzureWarehouses().AddS3Warehouses(); // as the server does (TableStoreServer)
            siloBuilder.AddMemoryGrainStorage("PubSubStore");
            // As the server chooses (TableStoreServer): Kafka when the settings name brokers, else in memory.
            siloBuilder.AddKafkaOrMemoryStreams(TableStore.Abstractions.ChangeStreams.DefaultProvider, siloBuilder.Configuration.GetSection("TableStore:Kafka"));
            var raw = siloBuilder.Configuration.GetSection(KafkaClusterFixture.RawSection);
            if (raw.Exists()) siloBuilder.AddKafkaStreams(KafkaClusterFixture.RawProvider, raw);
            siloBuilder.Services.AddTableStoreClient(); // for grains of the application's own (the sample's)
            siloBuilder.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromMilliseconds(500);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(1);
            });
        }
    }

    public sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
        {
            // The table changes' provider stays in memory on the client, as in the CLI: subscribers need nothing of
            // Kafka, the silos read it. The raw provider publishes from the client, so it is Kafka here too.
            clientBuilder.AddMemoryStreams(TableStore.Abstractions.ChangeStreams.DefaultProvider).AddTableStoreClient(o =>
            {
                o.MaxWriteAttempts = int.Parse(configuration["TableStoreClient:MaxWriteAttempts"] ?? "5", System.Globalization.CultureInfo.InvariantCulture);
                o.RetryDelay = TimeSpan.FromMilliseconds(250);
            });
            if (!string.IsNullOrEmpty(configuration[$"{KafkaClusterFixture.RawSection}:BootstrapServers"]))
                clientBuilder.AddKafkaStreams(KafkaClusterFixture.RawProvider, configuration.GetSection(KafkaClusterFixture.RawSection));
        }
    }
}

/// <summary>Three silos, shared by the tests that leave the cluster healthy.</summary>
public sealed class ThreeSiloCluster() : ClusterFixture(3);

[CollectionDefinition(Name)]
public sealed class ThreeSiloCollection : ICollectionFixture<ThreeSiloCluster>
{
    public const string Name = "three silos";
}

/// <summary>
/// Two silos whose table changes travel over Kafka (a mock cluster over TCP, or <c>KAFKA_BOOTSTRAP_SERVERS</c>), plus a
/// second Kafka stream provider, <see cref="RawProvider"/>, on silos and client for tests of the provider itself.
/// </summary>
public sealed class KafkaClusterFixture() : ClusterFixture(2)
{
    public const string RawProvider = "kafka-raw";
    public const string RawSection = "RawKafka";

    public KafkaMock Kafka { get; } = new();
    public string ChangesTopic { get; } = KafkaMock.Unique("changes");
    public string RawTopic { get; } = KafkaMock.Unique("raw");
    public string Group { get; } = KafkaMock.Unique("silos");

    /// <summary>Small enough that a write of a few thousand rows is published in several parts, or only as a marker.</summary>
    public const int MaxPublishedEventBytes = 4096;
    public const int MaxPublishedChangeRows = 3000;

    protected override void Configure(TestClusterBuilder builder)
    {
        builder.Properties["TableStore:MaxPublishedEventBytes"] = MaxPublishedEventBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.Properties["TableStore:MaxPublishedChangeRows"] = MaxPublishedChangeRows.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (section, topic) in new[] { ("TableStore:Kafka", ChangesTopic), (RawSection, RawTopic) })
        {
            builder.Properties[$"{section}:BootstrapServers"] = Kafka.BootstrapServers;
            builder.Properties[$"{section}:Topic"] = topic;
            builder.Properties[$"{section}:ConsumerGroup"] = Group;
            builder.Properties[$"{section}:CheckpointInterval"] = "00:00:00.100";
        }
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Kafka.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class KafkaClusterCollection : ICollectionFixture<KafkaClusterFixture>
{
    public const string Name = "kafka cluster";
}
