using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using TableStore.Streaming.Kafka.Providers;

namespace TableStore.Streaming.Kafka.Hosting;

/// <summary>
/// A Kafka stream provider on a cluster client: the client publishes straight to Kafka and subscribes through the
/// silos, which read the partitions.
/// </summary>
public sealed class ClusterClientKafkaStreamConfigurator : ClusterClientPersistentStreamConfigurator
{
    public ClusterClientKafkaStreamConfigurator(string name, IClientBuilder builder) : base(name, builder, KafkaAdapterFactory.Create)
    {
        builder.ConfigureServices(services => KafkaStreamOptionsValidator.AddFor(services, name).AddKeyedSingleton<KafkaPublishedOffsets>(name));
    }

    public ClusterClientKafkaStreamConfigurator ConfigureKafka(Action<OptionsBuilder<KafkaStreamOptions>> configure)
    {
        this.Configure(configure);
        return this;
    }
}
