using System.Globalization;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using ErrorCode = Confluent.Kafka.ErrorCode;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;

namespace TableStore.Streaming.Kafka.Providers;

/// <summary>
/// The provider's stream queues: one per partition of its topic, so that a queue's messages keep their order and
/// a queue is owned by one silo at a time (Orleans' queue balancer). Publisher and receivers map streams and queues to
/// partitions through the same mapper, built from the topic's partitions as the brokers report them.
/// </summary>
internal sealed class KafkaQueues
{
    private readonly HashRingBasedPartitionedStreamQueueMapper _mapper;

    private KafkaQueues(string providerName, int partitions)
    {
        Count = partitions;
        _mapper = new HashRingBasedPartitionedStreamQueueMapper(
            [.. Enumerable.Range(0, partitions).Select(p => p.ToString(CultureInfo.InvariantCulture))], providerName);
    }

    public int Count { get; }

    public IStreamQueueMapper Mapper => _mapper;

    public Partition PartitionOf(StreamId stream) => PartitionOf(_mapper.GetQueueForStream(stream));

    public Partition PartitionOf(QueueId queue) => new(int.Parse(_mapper.QueueToPartition(queue), CultureInfo.InvariantCulture));

    /// <summary>
    /// Reads the topic's partitions; a topic that does not exist is created with <see cref="KafkaStreamOptions.Partitions"/>
    /// (or by the brokers on first use, where they allow that), within <see cref="KafkaStreamOptions.MetadataTimeout"/>.
    /// </summary>
    public static async Task<KafkaQueues> DiscoverAsync(string providerName, KafkaStreamOptions options, IProducer<byte[], byte[]> producer, ILogger log, CancellationToken ct)
    {
        var topic = options.TopicName;
        using var admin = KafkaClients.CreateAdminClient(producer);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(options.MetadataTimeout);
        bool createTried = false;
        string? problem = null;
        try
        {
            while (true)
            {
                var metadata = await Task.Run(() => admin.GetMetadata(topic, TimeSpan.FromSeconds(2)), deadline.Token).ConfigureAwait(false);
                var found = metadata.Topics.FirstOrDefault(t => t.Topic == topic);
                if (found is { Error.IsError: false, Partitions.Count: > 0 } && found.Partitions.All(p => p.Leader >= 0))
                {
                    if (found.Partitions.Count != options.Partitions) log.TopicPartitionsDiffer(topic, found.Partitions.Count, options.Partitions);
                    return new KafkaQueues(providerName, found.Partitions.Count);
                }
                problem = found?.Error is { IsError: true } e ? $"{e.Reason} ({e.Code})" : "no partitions with a leader yet";
                if (!createTried && found?.Error.Code == ErrorCode.UnknownTopicOrPart)
                {
                    createTried = true;
                    await CreateAsync(admin, topic, options.Partitions, log, options.MetadataTimeout / 3, deadline.Token).ConfigureAwait(false);
                }
                await Task.Delay(200, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new KafkaStreamException($"Kafka stream provider '{providerName}' could not find topic {topic} at {options.BootstrapServers} within {options.MetadataTimeout.TotalSeconds:0.#} s ({problem ?? "no answer from the brokers"}). Check BootstrapServers and the security settings, and that the topic exists or may be created.");
        }
    }

    private static async Task CreateAsync(IAdminClient admin, string topic, int partitions, ILogger log, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = -1 }]).WaitAsync(timeout, ct).ConfigureAwait(false);
            log.TopicCreated(topic, partitions);
        }
        catch (TimeoutException)
        {
            // Some brokers never answer it (librdkafka's mock cluster); the topic may still appear, created on first use.
            log.TopicCreateFailed(topic, $"no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (CreateTopicsException e) when (e.Results.All(r => r.Error.Code is ErrorCode.TopicAlreadyExists or ErrorCode.NoError))
        {
            // Another silo (or the brokers, on first use) created it first.
        }
        catch (CreateTopicsException e)
        {
            // Not allowed to create topics (Event Hubs: the hub comes from the deployment): the metadata loop reports what is missing.
            log.TopicCreateFailed(topic, e.Results.FirstOrDefault(r => r.Error.IsError)?.Error.Reason ?? e.Message);
        }
    }
}
