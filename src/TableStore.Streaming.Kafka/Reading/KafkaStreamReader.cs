using System.Reflection;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;
using Orleans.Serialization;
using TableStore.Streaming.Kafka.Providers;

namespace TableStore.Streaming.Kafka.Reading;

/// <summary>
/// Reads what a Kafka stream provider published, straight from the topic and outside any silo: from positions the
/// caller chose (for instance ones recorded with <see cref="KafkaPublishedOffsets"/>), the messages of one stream,
/// in partition order. It commits nothing anywhere; an offset the brokers no longer hold is read from the earliest
/// one they do (the caller notices what it skipped by its own sequence numbers).
/// </summary>
public sealed class KafkaStreamReader : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly Serializer _serializer;
    private readonly IConsumer<byte[], byte[]> _consumer;
    private readonly KafkaStreamOptions _options;
    private readonly string _clientId;
    private readonly ILogger _log;

    /// <param name="options">The provider's settings: brokers, topic and security, as the silos have them.</param>
    /// <param name="clientId">The Kafka client id, for the brokers' logs.</param>
    /// <param name="eventAssemblies">Assemblies that define the stream's event types (Orleans-serializable).</param>
    /// <param name="log">Where messages that cannot be read are reported (they are passed over).</param>
    public KafkaStreamReader(KafkaStreamOptions options, string clientId, ILogger? log, params Assembly[] eventAssemblies)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _clientId = clientId;
        _log = log ?? NullLogger.Instance;
        _services = new ServiceCollection().AddSerializer(b =>
        {
            b.AddAssembly(typeof(KafkaBatchContainer).Assembly).AddAssembly(typeof(StreamId).Assembly);
            foreach (var a in eventAssemblies) b.AddAssembly(a);
        }).BuildServiceProvider();
        try
        {
            _serializer = _services.GetRequiredService<Serializer>();
            // A group id is required by librdkafka; nothing is ever committed under it.
            _consumer = new KafkaClients(options).CreateConsumer(clientId, $"{clientId}-{Guid.NewGuid():N}", AutoOffsetReset.Earliest);
        }
        catch
        {
            _services.Dispose();
            throw;
        }
    }

    /// <summary>The topic the provider writes (<see cref="KafkaStreamOptions.TopicName"/>).</summary>
    public string Topic => _options.TopicName;

    /// <summary>Reads from these partitions at these offsets on (replacing what was read before).</summary>
    public void Assign(IEnumerable<TopicPartitionOffset> positions) => _consumer.Assign(positions);

    /// <summary>
    /// The next message of <paramref name="stream"/> (others are passed over), or null when none came within
    /// <paramref name="wait"/>. Blocks the calling thread while it waits.
    /// </summary>
    public KafkaStreamMessage? Read(StreamId stream, TimeSpan wait, CancellationToken ct = default)
    {
        var key = stream.FullKey;
        long deadline = Environment.TickCount64 + (long)wait.TotalMilliseconds;
        while (!ct.IsCancellationRequested)
        {
            long left = deadline - Environment.TickCount64;
            if (left < 0) return null;
            var result = _consumer.Consume(TimeSpan.FromMilliseconds(Math.Min(left, 100)));
            if (result?.Message is null || !key.Span.SequenceEqual(result.Message.Key)) continue;
            // A message of this stream that is not the provider's (or is damaged) is passed over like any other.
            if (KafkaBatchContainer.TryRead(_serializer, result, _log, _clientId) is { } container) return new KafkaStreamMessage(container.Events, result.TopicPartitionOffset);
        }
        ct.ThrowIfCancellationRequested();
        return null;
    }

    public void Dispose()
    {
        try { _consumer.Close(); }
        catch (KafkaException) { } // nothing to hand back: it joined no group and committed nothing
        finally
        {
            _consumer.Dispose();
            _services.Dispose();
        }
    }
}

/// <summary>One publish on a stream: its events, and where in the topic it was read.</summary>
public sealed record KafkaStreamMessage(IReadOnlyList<object> Events, TopicPartitionOffset Position);
