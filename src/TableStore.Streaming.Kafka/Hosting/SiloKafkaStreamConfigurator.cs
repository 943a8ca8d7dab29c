using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using TableStore.Streaming.Kafka.Providers;

namespace TableStore.Streaming.Kafka.Hosting;

/// <summary>A Kafka stream provider on a silo: options, the silo's message cache, and the options' validation at start.</summary>
public sealed class SiloKafkaStreamConfigurator : SiloPersistentStreamConfigurator
{
    public SiloKafkaStreamConfigurator(string name, Action<Action<IServiceCollection>> configureServicesDelegate)
        : base(name, configureServicesDelegate, KafkaAdapterFactory.Create)
    {
        ConfigureDelegate(services => KafkaStreamOptionsValidator.AddFor(services, name).ConfigureNamedOptionForLogging<SimpleQueueCacheOptions>(name).AddKeyedSingleton<KafkaPublishedOffsets>(name));
    }

    public SiloKafkaStreamConfigurator ConfigureKafka(Action<OptionsBuilder<KafkaStreamOptions>> configure)
    {
        this.Configure(configure);
        return this;
    }

    /// <summary>Messages kept per queue on the silo: how far back a subscriber can rewind without a restart.</summary>
    public SiloKafkaStreamConfigurator ConfigureCache(int cacheSize = SimpleQueueCacheOptions.DEFAULT_CACHE_SIZE)
    {
        this.Configure<SimpleQueueCacheOptions>(ob => ob.Configure(o => o.CacheSize = cacheSize));
        return this;
    }
}
