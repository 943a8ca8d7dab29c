using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Serialization;
using Orleans.Streams;

namespace TableStore.Streaming.Kafka.Providers;

/// <summary>
/// Makes the provider's adapter (after reading the topic's partitions, which fix the stream queues), its cache (the
/// silo's recent messages per queue, which is how far a subscriber can rewind) and its failure handler.
/// </summary>
internal sealed class KafkaAdapterFactory(string name, KafkaStreamOptions options, SimpleQueueCacheOptions cacheOptions, Serializer serializer, KafkaPublishedOffsets published, ILoggerFactory loggers)
    : IQueueAdapterFactory, IDisposable
{
    private readonly SimpleQueueAdapterCache _cache = new(cacheOptions, name, loggers);
    private readonly KafkaClients _clients = new(options);
    private KafkaQueues? _queues;
    private KafkaAdapter? _adapter;

    public static KafkaAdapterFactory Create(IServiceProvider services, string name) =>
        ActivatorUtilities.CreateInstance<KafkaAdapterFactory>(services, name,
            services.GetOptionsByName<KafkaStreamOptions>(name), services.GetOptionsByName<SimpleQueueCacheOptions>(name), services.GetRequiredKeyedService<KafkaPublishedOffsets>(name));

    [Obsolete("Orleans calls the overload with a cancellation token.")]
    public Task<IQueueAdapter> CreateAdapter() => CreateAdapter(CancellationToken.None);

    /// <summary>One adapter (and one producer) per provider, made once the topic's partitions are known.</summary>
    public async Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken)
    {
        if (_adapter is not null) return _adapter;
        var producer = _clients.CreateProducer($"{name}-producer");
        try
        {
            _queues = await KafkaQueues.DiscoverAsync(name, options, producer, loggers.CreateLogger<KafkaAdapterFactory>(), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            producer.Dispose();
            throw;
        }
        return _adapter = new KafkaAdapter(name, _clients, producer, _queues, serializer, published, loggers);
    }

    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    public IStreamQueueMapper GetStreamQueueMapper() =>
        _queues?.Mapper ?? throw new InvalidOperationException($"Kafka stream provider '{name}' maps streams to queues once its topic's partitions are known (after CreateAdapter).");

    /// <summary>A delivery that keeps failing is given up after Orleans' delivery time and reported to the subscriber; the subscription stays.</summary>
    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) => Task.FromResult<IStreamFailureHandler>(new NoOpStreamDeliveryFailureHandler());

    /// <summary>The host's services are disposed at shutdown: publishes still queued get a last chance to go out.</summary>
    public void Dispose() => _adapter?.Dispose();
}
