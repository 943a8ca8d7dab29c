using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;
using TableStore.Abstractions;
using TableStore.Core;
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

    public bool Seek(IReadOnlyDictionary<string, string> logOffsets)
    {
        var positions = new List<TopicPartitionOffset>();
        foreach (var (key, value) in logOffsets)
            if (ChangeStreams.TryParseKafkaPositionKey(key, out var topic, out var partition) && topic == _reader.Topic
                && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
                positions.Add(new TopicPartitionOffset(topic, partition, offset));
        if (positions.Count == 0)
        {
            // Positions on another topic only: this reader was pointed at the wrong one, and would poll the lake for good.
            var elsewhere = logOffsets.Keys.Where(k => ChangeStreams.TryParseKafkaPositionKey(k, out var t, out _) && t != _reader.Topic).ToList();
            if (elsewhere.Count > 0) _log.ChangeLogOtherTopic(_table, _reader.Topic, string.Join(", ", elsewhere));
            return false;
        }
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
                // The lake has everything: a log that cannot be read only makes the reader look there, once per wait.
                _log.ChangeLogUnreadable(e, _table, e.Error.Reason);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64)), ct).ConfigureAwait(false);
                return null;
            }
            if (message is null) return null;
            if (_log.IsEnabled(LogLevel.Debug)) _log.ChangeLogRead(_table, message.Events.Count, message.Position.ToString());
            foreach (var e in message.Events.OfType<ChangeEvent>())
            {
                ChangeEvent? whole;
                try { whole = _parts.Add(e); }
                catch (ArgumentException ex)
                {
                    _log.ChangeLogEntryUnreadable(ex, _table, e.SnapshotId); // parts that do not fit together: the lake has it
                    whole = e with { ReadFromLake = true, Rows = [], Part = 0, Parts = 1 };
                }
                if (whole is not null) _ready.Enqueue(whole);
            }
        }
        var next = _ready.Dequeue();
        _parts.DropBefore(next.SnapshotId);
        if (next.ReadFromLake) return new ChangeLogEntry(next.SnapshotId, null, next.SchemaId);
        try { return new ChangeLogEntry(next.SnapshotId, next.ToBatch(), next.SchemaId); }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or TableStoreException)
        {
            // Rows this client cannot decode (another version's encoding): the lake serves that snapshot.
            _log.ChangeLogEntryUnreadable(e, _table, next.SnapshotId);
            return new ChangeLogEntry(next.SnapshotId, null, next.SchemaId);
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        return ValueTask.CompletedTask;
    }
}
