using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using TableStore.Abstractions;
using TableStore.Core;
using TableStore.Core.Streaming;
using TableStore.Core.Table;
using TableStore.Grains.Diagnostics;
using TableStore.Streaming.Kafka;

namespace TableStore.Grains.Commit;

/// <summary>
/// Publishes each committed snapshot's changes on the table's stream, one after the other (so in snapshot order).
/// A publish that fails is tried again before any later snapshot, up to <paramref name="attempts"/> times; given up,
/// it is a gap subscribers fill from the lake. A snapshot whose encoded rows exceed <paramref name="maxEventBytes"/>
/// goes out in parts (one message each, Kafka's limit), joined by subscribers. A snapshot of more than
/// <paramref name="maxRows"/> changed rows (a bulk load) is not read into this silo's memory: a marker tells
/// subscribers to page it from the lake now. On Kafka it knows where the table's next publish will land
/// (<see cref="Position"/>), which the next snapshot records for hybrid readers.
/// </summary>
internal sealed class ChangePublisher(Func<IStreamProvider> provider, string providerName, string table, long maxRows, int maxEventBytes, int attempts,
    KafkaPublishedOffsets? published, ILogger log)
{
    /// <summary>Snapshots waiting beyond this many (the brokers away for long) are given up, oldest first: subscribers read them from the lake.</summary>
    private const int MaxBacklog = 10_000;

    private readonly SortedDictionary<long, (FileStoreTable At, int Failures)> _backlog = [];
    private Task _running = Task.CompletedTask;
    private bool _active; // RunAsync works through the backlog (guarded by it)
    private IAsyncStream<ChangeEvent>? _stream;
    private bool _disabled = string.IsNullOrEmpty(providerName);

    /// <summary>
    /// On Kafka, <c>kafka-changes/&lt;topic&gt;/&lt;partition&gt;</c> → the offset after the table's last acknowledged
    /// publish: every later publish lands at or after it. Null until one was acknowledged here (or not on Kafka).
    /// </summary>
    public IReadOnlyDictionary<string, string>? Position { get; private set; }

    /// <summary>Completes when every snapshot handed over so far is published or given up.</summary>
    public Task Idle => _running;

    /// <summary>
    /// Stops publishing (the grain deactivates): what still waits is given up, logged, and read from the lake by
    /// subscribers; a publish under way finishes. A new activation must not race an old one's retries.
    /// </summary>
    public void Close()
    {
        lock (_backlog)
        {
            _disabled = true;
            if (_backlog.Count > 0) log.PublishGivenUp(_backlog.First().Key, table, string.Create(CultureInfo.InvariantCulture, $"the commit grain deactivates with {_backlog.Count} snapshot(s) from this one on unpublished"));
            _backlog.Clear();
        }
    }

    public void Publish(long snapshotId, FileStoreTable at)
    {
        if (_disabled) return;
        lock (_backlog) // a grain calls on its own scheduler; the lock is for callers that do not
        {
            _backlog[snapshotId] = (at, 0);
            while (_backlog.Count > MaxBacklog)
            {
                var oldest = _backlog.First().Key;
                _backlog.Remove(oldest);
                log.PublishGivenUp(oldest, table, $"more than {MaxBacklog} snapshots wait to be published");
            }
            if (!_active)
            {
                _active = true;
                _running = RunAsync();
            }
        }
    }

    private async Task RunAsync()
    {
        await Task.Yield(); // the caller's turn ends first
        while (true)
        {
            long id;
            FileStoreTable at;
            int failures;
            lock (_backlog)
            {
                if (_backlog.Count == 0 || _disabled)
                {
                    _active = false;
                    return;
                }
                (id, (at, failures)) = _backlog.First();
            }
            bool done = await TryPublishAsync(id, at).ConfigureAwait(true);
            if (!done && ++failures >= attempts)
            {
                log.PublishGivenUp(id, table, string.Create(CultureInfo.InvariantCulture, $"{failures} attempts failed"));
                done = true;
            }
            lock (_backlog)
            {
                if (done) _backlog.Remove(id);
                else if (_backlog.ContainsKey(id)) _backlog[id] = (at, failures); // not given up meanwhile (the backlog's bound)
                else done = true;
            }
            // Later snapshots wait behind a failed one: subscribers then see them in order, and a failure is likely the brokers'.
            if (!done) await Task.Delay(TimeSpan.FromSeconds(failures)).ConfigureAwait(true);
        }
    }

    /// <summary>False when the publish failed and may be tried again.</summary>
    private async Task<bool> TryPublishAsync(long snapshotId, FileStoreTable at)
    {
        if (_stream is null)
        {
            try { _stream = provider().GetStream<ChangeEvent>(StreamId.Create(ChangeStreams.Namespace, table)); }
            catch (Exception e)
            {
                _disabled = true;
                log.StreamProviderUnavailable(e, providerName, table);
                return true;
            }
        }
        try
        {
            var snapshot = await at.Snapshots.GetAsync(snapshotId).ConfigureAwait(true);
            if (snapshot.DeltaRecordCount + snapshot.ChangelogRecordCount > maxRows)
            {
                log.SnapshotTooLargeToPublish(snapshotId, table, snapshot.DeltaRecordCount + snapshot.ChangelogRecordCount, maxRows);
                await _stream.OnNextAsync(ChangeEvent.InLake(table, snapshotId, snapshot.CommitKind, snapshot.TimeMillis)).ConfigureAwait(true);
            }
            else
            {
                long started = Stopwatch.GetTimestamp();
                var batch = await new SnapshotChanges(at).ReadAsync(snapshot).ConfigureAwait(true);
                long read = Stopwatch.GetTimestamp();
                foreach (var part in (ChangeEvent.From(table, batch) with { SchemaId = at.Schema.Id }).Split(maxEventBytes))
                    await _stream.OnNextAsync(part).ConfigureAwait(true);
                ServiceMetrics.PublishReadDuration.Record(Stopwatch.GetElapsedTime(started, read).TotalMilliseconds, ServiceMetrics.Table(table));
                ServiceMetrics.PublishSendDuration.Record(Stopwatch.GetElapsedTime(read).TotalMilliseconds, ServiceMetrics.Table(table));
            }
            if (published?.TryGetNext(_stream.StreamId, out var next) == true)
                Position = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [ChangeStreams.KafkaPositionKey(next.Topic, next.Partition.Value)] = next.Offset.Value.ToString(CultureInfo.InvariantCulture),
                };
            return true;
        }
        catch (SnapshotNotFoundException e)
        {
            // Expired before it went out: nobody can read it any more, from the stream or the lake.
            log.PublishGivenUp(snapshotId, table, e.Message);
            return true;
        }
        catch (Exception e)
        {
            log.PublishFailed(e, snapshotId, table);
            return false;
        }
    }
}
