using System.Collections.Concurrent;
using Confluent.Kafka;
using Orleans.Runtime;

namespace TableStore.Streaming.Kafka;

/// <summary>
/// Where this process's last acknowledged publish on each stream went: the partition and the offset after it. Every
/// message published on that partition from now on lands at or after that offset, so a caller may record it as the
/// position to read the stream from (the TableStore service records it in its next snapshot, for hybrid reads).
/// One per provider, a keyed service under the provider's name.
/// </summary>
public sealed class KafkaPublishedOffsets
{
    /// <summary>Forgetting is always safe (the caller just records no newer position), so the map stays bounded.</summary>
    private const int MaxStreams = 65_536;

    private readonly ConcurrentDictionary<StreamId, TopicPartitionOffset> _next = new();

    /// <summary>The partition and offset after the last publish on <paramref name="stream"/> acknowledged here; false if none is known.</summary>
    public bool TryGetNext(StreamId stream, out TopicPartitionOffset next) => _next.TryGetValue(stream, out next!);

    private int _recorded;

    /// <summary>A stream's publishes are acknowledged one after the other (its publisher waits for each), so the last one recorded is the latest.</summary>
    internal void Record(StreamId stream, TopicPartitionOffset delivered)
    {
        // Counting the map takes all its locks: look only now and then.
        if (Interlocked.Increment(ref _recorded) % 1024 == 0 && _next.Count >= MaxStreams) _next.Clear();
        _next[stream] = new TopicPartitionOffset(delivered.TopicPartition, delivered.Offset.Value + 1);
    }
}
