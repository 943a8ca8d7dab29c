using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TableStore.Core;
using TableStore.Core.Data;
using TableStore.Core.Ingest;
using TableStore.Core.Table;

namespace TableStore.Ingest.Kafka;

/// <summary>
/// Reads change events from every partition of a Kafka topic and commits them to a table, exactly once: each batch
/// of rows is committed in one snapshot together with the offsets it was read up to (<see cref="IngestCheckpoint"/>),
/// and a restart resumes from the table's offsets, never from the consumer group's. A crash at any point loses
/// nothing and repeats nothing; a second ingestion of the same topic and group cannot commit (it is fenced).
/// </summary>
/// <remarks>
/// Partitions are assigned directly (no group rebalance): one ingestion reads the whole topic. Partitions added to
/// the topic while it runs are read from the next start. A dead-lettered event is copied before the batch that
/// passes over it commits, so none is lost; a crash between the two copies it again on restart (at least once in
/// the dead-letter topic, exactly once in the table).
/// </remarks>
public sealed class KafkaIngestion(FileStoreTable table, KafkaIngestOptions options, ILogger? logger = null)
{
    /// <summary>How long one poll of the consumer blocks: bounds the delay of a stop request and of a due commit.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly ILogger _log = logger ?? NullLogger.Instance;
    private readonly KafkaIngestOptions _options = options;
    private readonly FileStoreTable _table = table;

    public async Task<IngestOutcome> RunAsync(IProgress<IngestProgress>? progress, CancellationToken ct)
    {
        _options.Validate();
        var decoder = ChangeMessageDecoder.Create(_options.Format, _table.Schema);
        var group = _options.GroupFor(_table.Identifier);
        var checkpoint = new IngestCheckpoint(_table, $"kafka/{group}/{_options.Topic}");
        var start = await checkpoint.LoadAsync(ct).ConfigureAwait(false);

        using var consumer = BuildConsumer(_options, group, _log);
        var partitions = Partitions(consumer);
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(_options.Topic, p, start.TryGetValue(p, out var at) ? new Offset(at) : Offset.Beginning)));
        var from = string.Join(", ", partitions.Select(p => start.TryGetValue(p, out var at) ? $"{p}@{at}" : $"{p}@beginning"));
        _log.IngestionStarting(_options.Topic, _options.Format, _table.Identifier.FullName, group, from);
        using var deadLetters = _options.OnError == MalformedEventPolicy.DeadLetter ? BuildProducer(_options) : null;

        var run = new Run(this, checkpoint, consumer, deadLetters, progress);
        IngestStopReason reason;
        try { reason = await run.ConsumeAsync(decoder, ct).ConfigureAwait(false); }
        catch (Exception e)
        {
            // Whatever stopped the reading, the commit under way ends before the error is reported and the clients go.
            await run.SettleAsync(e).ConfigureAwait(false);
            throw;
        }
        var done = run.Progress();
        _log.IngestionStopped(_options.Topic, _table.Identifier.FullName, reason, done.Messages, done.Rows, done.Tombstones, done.Skipped, done.DeadLettered);
        return new IngestOutcome(done, reason);
    }

    /// <summary>The state of one run: the batch being gathered and the counts so far.</summary>
    private sealed class Run(KafkaIngestion owner, IngestCheckpoint checkpoint, IConsumer<byte[]?, byte[]?> consumer, IProducer<byte[]?, byte[]?>? deadLetters, IProgress<IngestProgress>? progress)
    {
        private readonly KafkaIngestOptions _options = owner._options;
        private readonly Dictionary<int, long> _next = new(checkpoint.Positions);
        private readonly List<Task<DeliveryResult<byte[]?, byte[]?>>> _deadLettering = [];
        private List<ChangeRow> _rows = [];
        private int _batchMessages;
        private long _batchStarted;
        private long _messages, _rowCount, _tombstones, _skipped, _deadLettered, _snapshots;
        private long? _lastSnapshot;
        private Task? _committing;

        /// <summary>Waits for the commit under way, if any, without failing: the caller is already failing with <paramref name="failure"/>.</summary>
        public async Task SettleAsync(Exception failure)
        {
            if (_committing is null) return;
            try { await _committing.ConfigureAwait(false); }
            catch (Exception e) when (!ReferenceEquals(e, failure))
            {
                owner._log.IngestConsumerError(_options.Topic, $"the last commit failed too: {e.Message}");
            }
            catch (Exception) { } // the failure being reported
        }

        public async Task<IngestStopReason> ConsumeAsync(ChangeMessageDecoder decoder, CancellationToken ct)
        {
            long lastMessage = Stopwatch.GetTimestamp();
            while (true)
            {
                IngestStopReason? stop = ct.IsCancellationRequested ? IngestStopReason.Cancelled
                    : _messages >= (_options.MaxMessages ?? long.MaxValue) ? IngestStopReason.MaxMessages
                    : null;
                if (stop is { } reason)
                {
                    // Stopping commits what was read, whatever cancelled the reading (the store's timeouts bound it).
                    await FlushAsync().ConfigureAwait(false);
                    return reason;
                }
                if (_batchMessages > 0 && (_batchMessages >= _options.MaxBatchMessages || Stopwatch.GetElapsedTime(_batchStarted) >= _options.CommitInterval))
                    await CommitAsync().ConfigureAwait(false);

                ConsumeResult<byte[]?, byte[]?>? record;
                try { record = consumer.Consume(PollInterval); }
                catch (ConsumeException e) when (!e.Error.IsFatal)
                {
                    if (e.Error.Code is ErrorCode.UnknownTopicOrPart or ErrorCode.TopicAuthorizationFailed or ErrorCode.GroupAuthorizationFailed)
                        throw new InvalidInputException($"Kafka topic '{_options.Topic}' on {_options.BootstrapServers}: {e.Error.Reason}.");
                    if (e.Error.Code is ErrorCode.Local_AutoOffsetReset or ErrorCode.OffsetOutOfRange)
                    {
                        // Jumping to what the topic still holds would silently lose the messages in between.
                        await FlushAsync().ConfigureAwait(false);
                        throw new InvalidInputException(LostMessages(e));
                    }
                    owner._log.IngestConsumerError(_options.Topic, e.Error.Reason);
                    continue;
                }
                if (record is null || record.IsPartitionEOF)
                {
                    if (_options.UntilIdle is { } idle && Stopwatch.GetElapsedTime(lastMessage) >= idle)
                    {
                        await FlushAsync().ConfigureAwait(false);
                        return IngestStopReason.Idle;
                    }
                    continue;
                }
                lastMessage = Stopwatch.GetTimestamp();
                if (_batchMessages == 0) _batchStarted = lastMessage;
                await TakeAsync(decoder, record).ConfigureAwait(false);
            }
        }

        private async Task TakeAsync(ChangeMessageDecoder decoder, ConsumeResult<byte[]?, byte[]?> record)
        {
            int partition = record.Partition.Value;
            long offset = record.Offset.Value;
            int before = _rows.Count;
            try
            {
                if (!decoder.Decode(record.Message.Value, _rows)) _tombstones++;
            }
            catch (InvalidInputException e)
            {
                switch (_options.OnError)
                {
                    case MalformedEventPolicy.Skip:
                        owner._log.MalformedEventSkipped(_options.Topic, partition, offset, e.Message);
                        _skipped++;
                        break;
                    case MalformedEventPolicy.DeadLetter:
                        owner._log.MalformedEventDeadLettered(_options.Topic, partition, offset, _options.DeadLetterTopicOrDefault, e.Message);
                        _deadLettering.Add(deadLetters!.ProduceAsync(_options.DeadLetterTopicOrDefault, DeadLetter(record, e.Message), CancellationToken.None));
                        _deadLettered++;
                        break;
                    default:
                        // The events before it are committed; this one stays unread, so a rerun meets it first.
                        await FlushAsync().ConfigureAwait(false);
                        throw new InvalidInputException(
                            $"Malformed event in Kafka topic '{_options.Topic}', partition {partition}, offset {offset}: {e.Message} " +
                            $"Nothing from it was ingested; the {_messages} messages this run read before it were{(_lastSnapshot is { } s ? $" (up to snapshot {s})" : "")}. " +
                            "Fix or remove the event, or rerun with --on-error skip or --on-error dead-letter to pass over such events.");
                }
            }
            _rowCount += _rows.Count - before;
            _messages++;
            _batchMessages++;
            _next[partition] = offset + 1;
        }

        private string LostMessages(ConsumeException e)
        {
            var at = e.ConsumerRecord?.TopicPartitionOffset;
            var where = at is null ? "" : $", partition {at.Partition.Value}";
            var offset = at is null || at.Offset.IsSpecial ? "" : $" ({at.Offset.Value})";
            return $"Kafka topic '{_options.Topic}'{where}: the next offset to ingest{offset} is not in the topic ({e.Error.Reason}): " +
                "its retention deleted messages before this ingestion read them (or the topic was deleted and created again), and they cannot be ingested. What was read before is committed. " +
                "To go on without them, ingest with a new --group, which starts at the earliest message the topic holds " +
                "(rows ingested before are read again: a primary-key table absorbs them, an append-only table gets them twice).";
        }

        private static Message<byte[]?, byte[]?> DeadLetter(ConsumeResult<byte[]?, byte[]?> record, string error)
        {
            var headers = new Headers
            {
                { "tablestore.error", Encoding.UTF8.GetBytes(error) },
                { "tablestore.source", Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{record.Topic}/{record.Partition.Value}/{record.Offset.Value}")) },
            };
            if (record.Message.Headers is { } original) foreach (var h in original) headers.Add(h.Key, h.GetValueBytes());
            return new Message<byte[]?, byte[]?> { Key = record.Message.Key, Value = record.Message.Value, Headers = headers };
        }

        /// <summary>
        /// Hands the batch to a commit that runs while the next batch is read: at most one commit in flight, and each
        /// starts after the one before it ended, so positions advance in order. A failed commit fails the next call.
        /// </summary>
        private async Task CommitAsync()
        {
            if (_committing is { } previous) await previous.ConfigureAwait(false);
            if (_deadLettering.Count > 0)
            {
                // Offsets may pass a dead-lettered event only once its copy is durable in the dead-letter topic.
                try { await Task.WhenAll(_deadLettering).ConfigureAwait(false); }
                catch (ProduceException<byte[]?, byte[]?> e)
                {
                    var message = $"Could not copy a malformed event to the dead-letter topic '{_options.DeadLetterTopicOrDefault}': {e.Error.Reason}. " +
                        $"Nothing read after snapshot {_lastSnapshot?.ToString(CultureInfo.InvariantCulture) ?? "(none of this run)"} was ingested";
                    if (e.Error.Code is ErrorCode.UnknownTopicOrPart or ErrorCode.TopicAuthorizationFailed)
                        throw new InvalidInputException(message + "; create the topic, or allow this client to write to it, then rerun.");
                    throw new TableStoreException(message + "; rerun to try again.", e);
                }
                _deadLettering.Clear();
            }
            // Not cancelled with the reading: a stop lets the commit under way finish (the store's own timeouts bound it).
            _committing = CommitBatchAsync(_rows, new Dictionary<int, long>(_next), _batchMessages);
            _rows = []; // the write owns the rows it was given
            _batchMessages = 0;
        }

        /// <summary>Commits what was read and waits for it: before stopping, and before an error is reported.</summary>
        private async Task FlushAsync()
        {
            await CommitAsync().ConfigureAwait(false);
            await _committing!.ConfigureAwait(false);
        }

        private async Task CommitBatchAsync(List<ChangeRow> rows, Dictionary<int, long> next, int messages)
        {
            await Task.Yield(); // the reading goes on while this commits
            var result = await checkpoint.CommitAsync(rows, next, CancellationToken.None).ConfigureAwait(false);
            if (result is not null)
            {
                Interlocked.Increment(ref _snapshots);
                _lastSnapshot = result.SnapshotId;
                owner._log.IngestionCommitted(messages, rows.Count, _options.Topic, owner._table.Identifier.FullName, result.SnapshotId);
                try { consumer.Commit(next.Select(p => new TopicPartitionOffset(_options.Topic, p.Key, p.Value))); }
                catch (KafkaException e) { owner._log.GroupOffsetsCommitFailed(e, _options.Topic); }
            }
            progress?.Report(Progress());
        }

        public IngestProgress Progress() =>
            new(_messages, _rowCount, _tombstones, _skipped, _deadLettered, _snapshots, _lastSnapshot, new Dictionary<int, long>(checkpoint.Positions));
    }

    /// <summary>Builds (and drops) the clients the options describe: settings librdkafka rejects fail here, with its reason.</summary>
    public static void CheckSettings(KafkaIngestOptions options)
    {
        BuildConsumer(options, "tablestore-settings-check", NullLogger.Instance).Dispose();
        if (options.OnError == MalformedEventPolicy.DeadLetter) BuildProducer(options).Dispose();
    }

    private static IConsumer<byte[]?, byte[]?> BuildConsumer(KafkaIngestOptions options, string group, ILogger log)
    {
        // The user's settings first: the ones exactly-once depends on are set after them and win.
        var config = new ConsumerConfig(options.ResolvedSettings())
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = group,
            ClientId = "tablestore-ingest",
            // The table holds the positions; the group's offsets are written after each commit, for lag monitoring only.
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            // A position the topic no longer holds is an error, never a silent jump (new partitions start at Offset.Beginning).
            AutoOffsetReset = AutoOffsetReset.Error,
            EnablePartitionEof = false,
            IsolationLevel = IsolationLevel.ReadCommitted,
            FetchWaitMaxMs = 100,
        };
        return Build(() => new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetErrorHandler((_, e) => { if (!e.IsFatal) log.IngestConsumerError(options.Topic, e.Reason); })
            .SetLogHandler((_, m) => { if (m.Level <= SyslogLevel.Warning) log.IngestConsumerError(options.Topic, m.Message); })
            .Build());
    }

    private static IProducer<byte[]?, byte[]?> BuildProducer(KafkaIngestOptions options)
    {
        var config = new ProducerConfig(options.ResolvedSettings())
        {
            BootstrapServers = options.BootstrapServers,
            ClientId = "tablestore-ingest-dead-letter",
            Acks = Acks.All,
            EnableIdempotence = true,
            MessageTimeoutMs = (int)options.MetadataTimeout.TotalMilliseconds,
        };
        return Build(() => new ProducerBuilder<byte[]?, byte[]?>(config).Build());
    }

    private static T Build<T>(Func<T> build)
    {
        try { return build(); }
        catch (Exception e) when (e is ArgumentException or KafkaException or InvalidOperationException)
        {
            throw new InvalidInputException($"Kafka settings (-X) rejected: {e.Message}");
        }
    }

    /// <summary>The topic's partitions, from the brokers' metadata: an unknown topic is an error, not a wait.</summary>
    private int[] Partitions(IConsumer<byte[]?, byte[]?> consumer)
    {
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        Metadata metadata;
        try { metadata = admin.GetMetadata(_options.Topic, _options.MetadataTimeout); }
        catch (KafkaException e)
        {
            throw new TableStoreException($"Could not read the metadata of Kafka topic '{_options.Topic}' from {_options.BootstrapServers} within {_options.MetadataTimeout.TotalSeconds:0} s: {e.Error.Reason}. Check --bootstrap and that the brokers are reachable.", e);
        }
        var topic = metadata.Topics.SingleOrDefault(t => t.Topic == _options.Topic);
        if (topic is null || topic.Error.Code == ErrorCode.UnknownTopicOrPart || topic.Partitions.Count == 0)
            // Not bad input for good: Debezium creates its topics with the first change, so a job keeps trying.
            throw new TableStoreException($"Kafka topic '{_options.Topic}' does not exist on {_options.BootstrapServers} (yet?).");
        if (topic.Error.Code != ErrorCode.NoError)
            throw new TableStoreException($"Kafka topic '{_options.Topic}' on {_options.BootstrapServers}: {topic.Error.Reason}.");
        return [.. topic.Partitions.Select(p => p.PartitionId).Order()];
    }
}
