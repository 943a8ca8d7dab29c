using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Orleans.Providers.Streams.Common;
using Orleans.Serialization;
using Orleans.Streams;

namespace TableStore.Streaming.Kafka.Providers;

/// <summary>
/// Reads one partition (one stream queue) for the silo Orleans gave that queue. It starts at the offset committed in
/// the consumer group (the checkpoint), so a restarted or newly assigned silo goes on where the last owner's delivered
/// messages end; messages after the checkpoint may be delivered twice, never skipped. It never blocks the pulling
/// agent: it takes what librdkafka has already fetched in the background.
/// </summary>
internal sealed class KafkaQueueReceiver(string provider, KafkaClients clients, Partition partition, Serializer serializer, ILogger log) : IQueueAdapterReceiver
{
    private const int UnlimitedBatch = 1000;
    private readonly TopicPartition _partition = new(clients.Options.TopicName, partition);
    private IConsumer<byte[], byte[]>? _consumer;
    private long _delivered = -1; // the highest offset whose messages left the cache, delivered
    private long _committed = -1; // the offset last committed (the next to read after a restart)
    private long _lastCommitMillis; // Environment.TickCount64 at the last commit

    public Task Initialize(TimeSpan timeout) => Task.Run(() => Start(timeout));

    [Obsolete("Orleans calls the overload with a cancellation token.")]
    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        // A start that failed (brokers away when the queue was assigned) is tried again on each read.
        if (_consumer is null && !await Task.Run(() => Start(TimeSpan.FromSeconds(5)), cancellationToken).ConfigureAwait(false)) return [];
        var batch = new List<IBatchContainer>();
        int limit = maxCount < 0 ? UnlimitedBatch : maxCount;
        while (batch.Count < limit)
        {
            ConsumeResult<byte[], byte[]>? result;
            try { result = _consumer!.Consume(TimeSpan.Zero); }
            catch (ConsumeException e)
            {
                log.ConsumeFailed(e, provider, _partition, e.Error.Reason);
                break;
            }
            if (result is null) break;
            if (Decode(result) is { } container) batch.Add(container);
        }
        return batch;
    }

    private KafkaBatchContainer? Decode(ConsumeResult<byte[], byte[]> result)
    {
        // Not a message of this provider (another producer on the topic, or a corrupt one): logged with where it is,
        // and passed over so the queue does not stall behind it. The checkpoint passes it with the next message
        // delivered after it (messages before it may still be in the cache).
        if (KafkaBatchContainer.TryRead(serializer, result, log, provider) is not { } container) return null;
        container.Token = new EventSequenceTokenV2(result.Offset.Value);
        return container;
    }

    [Obsolete("Orleans calls the overload with a cancellation token.")]
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => MessagesDeliveredAsync(messages, CancellationToken.None);

    /// <summary>Called with the messages that left the silo's cache, every subscriber done with them: the checkpoint moves past them.</summary>
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken)
    {
        foreach (var m in messages) _delivered = Math.Max(_delivered, m.SequenceToken.SequenceNumber);
        if (Environment.TickCount64 - _lastCommitMillis < clients.Options.CheckpointInterval.TotalMilliseconds) return Task.CompletedTask;
        return Task.Run(Commit, cancellationToken);
    }

    public Task Shutdown(TimeSpan timeout) => Task.Run(() =>
    {
        var consumer = Interlocked.Exchange(ref _consumer, null);
        if (consumer is null) return;
        try
        {
            CommitWith(consumer);
            consumer.Close();
        }
        catch (KafkaException e)
        {
            log.CheckpointFailed(e, provider, _partition, e.Error.Reason);
        }
        finally
        {
            consumer.Dispose();
        }
    });

    private bool Start(TimeSpan timeout)
    {
        if (_consumer is not null) return true;
        var consumer = clients.CreateConsumer($"{provider}-{_partition.Partition.Value}");
        try
        {
            var committed = consumer.Committed([_partition], timeout).Single().Offset;
            var start = committed.IsSpecial ? (clients.Options.StartFromEarliest ? Offset.Beginning : Offset.End) : committed;
            consumer.Assign(new TopicPartitionOffset(_partition, start));
            _committed = committed.IsSpecial ? -1 : committed.Value;
            _lastCommitMillis = Environment.TickCount64;
            _consumer = consumer;
            log.QueueStarted(provider, _partition, start);
            return true;
        }
        catch (KafkaException e)
        {
            consumer.Dispose();
            log.QueueStartFailed(e, provider, _partition, e.Error.Reason);
            return false;
        }
    }

    private void Commit()
    {
        if (_consumer is { } consumer) CommitWith(consumer);
    }

    private void CommitWith(IConsumer<byte[], byte[]> consumer)
    {
        _lastCommitMillis = Environment.TickCount64;
        long next = _delivered + 1;
        if (_delivered < 0 || next <= _committed) return;
        try
        {
            consumer.Commit([new TopicPartitionOffset(_partition, next)]);
            _committed = next;
        }
        catch (KafkaException e)
        {
            // The next commit carries this one's offsets too; until then a restart reads a little more again.
            log.CheckpointFailed(e, provider, _partition, e.Error.Reason);
        }
    }
}
