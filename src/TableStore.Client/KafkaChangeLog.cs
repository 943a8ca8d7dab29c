using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;
using TableStore.Abstractions;
using TableStore.Core.Streaming;
using TableStore.Streaming.Kafka;
using TableStore.Streaming.Kafka.Reading;

namespace TableStore.Client;

/// <summary>
/// A table's changes as the service publishes them on Kafka (its Kafka stream provider's topic), for a hybrid read:
/// <c>new StreamingReader(table, changeLog)</c> reads the start from the lake, then this log from the positions the
/// snapshot records (<see cref="ChangeStreams.KafkaPositionPrefix"/>), and the lake again for whatever the log lacks.
/// It needs the brokers and the warehouse, not the cluster. Parts of a snapshot are joined here; a marker (a snapshot
/// too large to publish) and a broker that cannot be read are handed to the reader as "read the lake".
/// </summary>
public sealed class KafkaChangeLog : IChangeLog
{
    private readonly KafkaStreamReader _reader;
    private readonly StreamId _stream;
    private readonly string _table;
    private readonly ILogger _log;
    private readonly ChangeEventAssembler _parts = new();
    private readonly Queue<ChangeEvent> _ready = new();

    /// <param name="table"><c>db.table</c>.</param>
    /// <param name="options">The service's <c>TableStore:Kafka</c> settings (brokers, topic, security).</param>
    public KafkaChangeLog(string table, KafkaStreamOptions options, ILogger? log = null)
    {
        _table = table;
        _stream = StreamId.Create(ChangeStreams.Namespace, table);
        _log = log ?? NullLogger.Instance;
        _reader = new KafkaStreamReader(options, "tablestore-hybrid-reader", _log, typeof(ChangeEvent).Assembly);
    }

    /// <summary>Entries handed to the reader (whole snapshots and markers).</summary>
    public long Entries { get; private set; }

    public bool Seek(IReadOnlyDictionary<string, string> logOffsets)
    {
        var positions = new List<TopicPartitionOffset>();
        foreach (var (key, value) in logOffsets)
            if (ChangeStreams.TryParseKafkaPositionKey(key, out var topic, out var partition) && topic == _reader.Topic
                && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
                positions.Add(new TopicPartitionOffset(topic, partition, offset));
        if (positions.Count == 0) return false;
        _reader.Assign(positions);
        if (_log.IsEnabled(LogLevel.Information)) _log.ChangeLogSeek(_table, string.Join(", ", positions.Select(p => p.ToString())));
        return true;
    }

    public async ValueTask<ChangeLogEntry?> ReadAsync(TimeSpan wait, CancellationToken ct)
    {
        long deadline = Environment.TickCount64 + (long)wait.TotalMilliseconds;
        while (_ready.Count == 0)
        {
            long left = deadline - Environment.TickCount64;
            if (left <= 0) return null;
            KafkaStreamMessage? message;
            try { message = await Task.Run(() => _reader.Read(_stream, TimeSpan.FromMilliseconds(left), ct), ct).ConfigureAwait(false); }
            catch (KafkaException e)
            {
                // The lake has everything: a log that cannot be read only makes the reader look there.
                _log.ChangeLogUnreadable(e, _table, e.Error.Reason);
                return null;
            }
            if (message is null) return null;
            if (_log.IsEnabled(LogLevel.Debug)) _log.ChangeLogRead(_table, message.Events.Count, message.Position.ToString());
            foreach (var e in message.Events.OfType<ChangeEvent>())
                if (_parts.Add(e) is { } whole) _ready.Enqueue(whole);
        }
        var next = _ready.Dequeue();
        _parts.DropBefore(next.SnapshotId);
        Entries++;
        return new ChangeLogEntry(next.SnapshotId, next.ReadFromLake ? null : next.ToBatch());
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        return ValueTask.CompletedTask;
    }
}
