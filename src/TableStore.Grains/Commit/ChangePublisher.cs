using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using TableStore.Abstractions;
using TableStore.Core.Streaming;
using TableStore.Core.Table;
using TableStore.Grains.Diagnostics;

namespace TableStore.Grains.Commit;

/// <summary>
/// Publishes each committed snapshot's changes on the table's stream, one after the other (so in snapshot order).
/// Best effort: a lost event is a gap that subscribers fill from the lake. A snapshot whose encoded rows exceed
/// <paramref name="maxEventBytes"/> goes out in parts (one message each, Kafka's limit), joined by subscribers. A
/// snapshot of more than <paramref name="maxRows"/> changed rows (a bulk load) is not read into this silo's memory:
/// a marker tells subscribers to page it from the lake now.
/// </summary>
internal sealed class ChangePublisher(Func<IStreamProvider> provider, string providerName, string table, long maxRows, int maxEventBytes, ILogger log)
{
    private Task _published = Task.CompletedTask;
    private IAsyncStream<ChangeEvent>? _stream;
    private bool _disabled = string.IsNullOrEmpty(providerName);

    public void Publish(long snapshotId, FileStoreTable at) => _published = PublishAsync(snapshotId, at, _published);

    private async Task PublishAsync(long snapshotId, FileStoreTable at, Task previous)
    {
        await previous.ConfigureAwait(true); // never faults: failures are logged below
        if (_disabled) return;
        if (_stream is null)
        {
            try { _stream = provider().GetStream<ChangeEvent>(StreamId.Create(ChangeStreams.Namespace, table)); }
            catch (Exception e)
            {
                _disabled = true;
                log.StreamProviderUnavailable(e, providerName, table);
                return;
            }
        }
        try
        {
            var snapshot = await at.Snapshots.GetAsync(snapshotId).ConfigureAwait(true);
            if (snapshot.DeltaRecordCount + snapshot.ChangelogRecordCount > maxRows)
            {
                log.SnapshotTooLargeToPublish(snapshotId, table, snapshot.DeltaRecordCount + snapshot.ChangelogRecordCount, maxRows);
                await _stream.OnNextAsync(ChangeEvent.InLake(table, snapshotId, snapshot.CommitKind, snapshot.TimeMillis)).ConfigureAwait(true);
                return;
            }
            long started = Stopwatch.GetTimestamp();
            var batch = await new SnapshotChanges(at).ReadAsync(snapshot).ConfigureAwait(true);
            long read = Stopwatch.GetTimestamp();
            foreach (var part in ChangeEvent.From(table, batch).Split(maxEventBytes))
                await _stream.OnNextAsync(part).ConfigureAwait(true);
            ServiceMetrics.PublishReadDuration.Record(Stopwatch.GetElapsedTime(started, read).TotalMilliseconds, ServiceMetrics.Table(table));
            ServiceMetrics.PublishSendDuration.Record(Stopwatch.GetElapsedTime(read).TotalMilliseconds, ServiceMetrics.Table(table));
        }
        catch (Exception e)
        {
            log.PublishFailed(e, snapshotId, table);
        }
    }
}
