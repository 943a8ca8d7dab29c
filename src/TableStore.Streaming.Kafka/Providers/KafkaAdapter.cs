using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Streams;

namespace TableStore.Streaming.Kafka.Providers;

/// <summary>
/// Writes a stream's events as one message to the partition its queue maps to, and makes a receiver per queue.
/// A publish returns once the brokers acknowledged the message (<c>acks=all</c>), or fails: nothing is dropped silently.
/// </summary>
internal sealed class KafkaAdapter(string name, KafkaClients clients, IProducer<byte[], byte[]> producer, KafkaQueues queues, Serializer serializer, KafkaPublishedOffsets published, ILoggerFactory loggers)
    : IQueueAdapter, IDisposable
{
    private readonly IProducer<byte[], byte[]> _producer = producer;
    private readonly ILogger _log = loggers.CreateLogger<KafkaAdapter>();

    public string Name => name;

    /// <summary>A subscriber may resume from a token still in the silo's cache; older offsets are read again from Kafka only after a restart.</summary>
    public bool IsRewindable => true;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

    public async Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
    {
        if (token is not null) throw new ArgumentException("A Kafka stream assigns sequence tokens itself (the offset); publish without one.", nameof(token));
        var container = new KafkaBatchContainer(streamId, events.Cast<object>().ToList(), requestContext);
        var payload = serializer.SerializeToArray(container);
        var topic = clients.Options.TopicName;
        if (payload.Length > clients.Options.MaxMessageBytes)
            throw new KafkaStreamException(string.Create(CultureInfo.InvariantCulture,
                $"A publish on stream {streamId} is {payload.Length:N0} bytes, more than the {clients.Options.MaxMessageBytes:N0} one message on topic {topic} may hold (KafkaStreamOptions.MaxMessageBytes): split it into smaller publishes."));
        var partition = queues.PartitionOf(streamId);
        try
        {
            var delivered = await _producer.ProduceAsync(new TopicPartition(topic, partition), new Message<byte[], byte[]> { Key = streamId.FullKey.ToArray(), Value = payload }).ConfigureAwait(false);
            published.Record(streamId, delivered.TopicPartitionOffset);
            _log.Published(streamId, delivered.TopicPartitionOffset, payload.Length);
        }
        catch (ProduceException<byte[], byte[]> e)
        {
            throw new KafkaStreamException($"Publishing on stream {streamId} to {topic}[{partition.Value}] at {clients.Options.BootstrapServers} failed: {e.Error.Reason} ({e.Error.Code}).", e);
        }
    }

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) =>
        new KafkaQueueReceiver(name, clients, queues.PartitionOf(queueId), serializer, loggers.CreateLogger<KafkaQueueReceiver>());

    public void Dispose()
    {
        // Whatever is still queued gets its chance to go out; publishes not acknowledged by then have already failed their callers.
        _producer.Flush(TimeSpan.FromSeconds(5));
        _producer.Dispose();
    }
}
