using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Serialization;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;

namespace TableStore.Streaming.Kafka.Providers;

/// <summary>
/// The events of one publish on one stream: one Kafka message. Its sequence token is the message's offset in its
/// partition (events within it are told apart by their index), so a subscriber can resume or rewind by offset.
/// </summary>
[GenerateSerializer, Alias("TableStore.Streaming.Kafka.BatchContainer")]
internal sealed class KafkaBatchContainer(StreamId streamId, List<object> events, Dictionary<string, object>? requestContext) : IBatchContainer
{
    [Id(0)] public StreamId StreamId { get; } = streamId;

    [Id(1)] public List<object> Events { get; } = events;

    [Id(2)] public Dictionary<string, object>? RequestContext { get; } = requestContext;

    /// <summary>
    /// Set by the receiver from the message's offset (null in the message itself); it travels with the batch from the
    /// silo that read it to each subscriber.
    /// </summary>
    [Id(3)] private EventSequenceTokenV2? _token;

    public EventSequenceTokenV2 Token
    {
        get => _token ?? throw new InvalidOperationException("A Kafka batch gets its sequence token when it is read from its partition.");
        set => _token = value;
    }

    public StreamSequenceToken SequenceToken => Token;

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() =>
        Events.OfType<T>().Select((e, i) => Tuple.Create<T, StreamSequenceToken>(e, Token.CreateSequenceTokenForEvent(i)));

    /// <summary>
    /// The batch a message holds, or null (logged with where it is) when it holds none: another producer's message on
    /// the topic, or a damaged one. Silos and direct readers both pass such messages over.
    /// </summary>
    internal static KafkaBatchContainer? TryRead(Serializer serializer, ConsumeResult<byte[], byte[]> result, ILogger log, string reader)
    {
        try { return serializer.Deserialize<KafkaBatchContainer>(result.Message.Value) ?? throw new InvalidDataException("The message holds no batch."); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            log.MessageSkipped(e, reader, result.TopicPartitionOffset, result.Message.Value?.Length ?? 0);
            return null;
        }
    }

    public bool ImportRequestContext()
    {
        if (RequestContext is null) return false;
        RequestContextExtensions.Import(RequestContext);
        return true;
    }
}
