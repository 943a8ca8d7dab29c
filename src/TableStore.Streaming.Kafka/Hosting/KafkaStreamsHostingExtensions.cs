using Microsoft.Extensions.Configuration;
using Orleans.Hosting;

namespace TableStore.Streaming.Kafka.Hosting;

/// <summary><c>AddKafkaStreams</c> for silos and cluster clients, as Orleans' own providers are added.</summary>
public static class KafkaStreamsHostingExtensions
{
    /// <summary>Adds a Kafka stream provider named <paramref name="name"/> to a silo (which also needs grain storage named <c>PubSubStore</c>).</summary>
    public static ISiloBuilder AddKafkaStreams(this ISiloBuilder builder, string name, Action<KafkaStreamOptions> configure) =>
        builder.AddKafkaStreams(name, (SiloKafkaStreamConfigurator c) => c.ConfigureKafka(ob => ob.Configure(configure)));

    /// <summary>Adds a Kafka stream provider whose <see cref="KafkaStreamOptions"/> are bound from <paramref name="section"/> (e.g. <c>TableStore:Kafka</c>).</summary>
    public static ISiloBuilder AddKafkaStreams(this ISiloBuilder builder, string name, IConfiguration section) =>
        builder.AddKafkaStreams(name, (SiloKafkaStreamConfigurator c) => c.ConfigureKafka(ob => ob.Configure(o => section.Bind(o))));

    /// <summary>
    /// Adds stream provider <paramref name="name"/>: on Kafka when <paramref name="kafka"/> names brokers
    /// (<c>BootstrapServers</c>), else Orleans' in-memory streams, which need no settings.
    /// </summary>
    public static ISiloBuilder AddKafkaOrMemoryStreams(this ISiloBuilder builder, string name, IConfiguration kafka) =>
        string.IsNullOrEmpty(kafka[nameof(KafkaStreamOptions.BootstrapServers)]) ? builder.AddMemoryStreams(name) : builder.AddKafkaStreams(name, kafka);

    public static ISiloBuilder AddKafkaStreams(this ISiloBuilder builder, string name, Action<SiloKafkaStreamConfigurator>? configure)
    {
        var configurator = new SiloKafkaStreamConfigurator(name, services => builder.ConfigureServices(services));
        configure?.Invoke(configurator);
        return builder;
    }

    /// <summary>Adds a Kafka stream provider named <paramref name="name"/> to a cluster client.</summary>
    public static IClientBuilder AddKafkaStreams(this IClientBuilder builder, string name, Action<KafkaStreamOptions> configure) =>
        builder.AddKafkaStreams(name, (ClusterClientKafkaStreamConfigurator c) => c.ConfigureKafka(ob => ob.Configure(configure)));

    public static IClientBuilder AddKafkaStreams(this IClientBuilder builder, string name, IConfiguration section) =>
        builder.AddKafkaStreams(name, (ClusterClientKafkaStreamConfigurator c) => c.ConfigureKafka(ob => ob.Configure(o => section.Bind(o))));

    public static IClientBuilder AddKafkaStreams(this IClientBuilder builder, string name, Action<ClusterClientKafkaStreamConfigurator>? configure)
    {
        var configurator = new ClusterClientKafkaStreamConfigurator(name, builder);
        configure?.Invoke(configurator);
        return builder;
    }
}
