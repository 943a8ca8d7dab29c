using Microsoft.Extensions.Logging;
using Orleans.Streams;
using TableStore.Abstractions;
using TableStore.Core.Streaming;
using TableStore.Core.Table;

namespace TableStore.Grains.Commit;

/// <summary>
/// Publishes each committed snapshot's changes on the table's stream, one after the other (so in snapshot order).
/// Best effort: a lost event is a gap that subscribers fill from the lake. So is a snapshot of more than
/// <paramref name="maxRows"/> changed rows (a bulk load): it is not read into this silo's memory nor sent as one
/// message, and subscribers page it from the lake instead.
/// </summary>
internal sealed class ChangePublisher(Func<IStreamProvider> provider, string providerName, string table, long maxRows, ILogger log)
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
                return;
            }
            var batch = await new SnapshotChanges(at).ReadAsync(snapshot).ConfigureAwait(true);
            await _stream.OnNextAsync(ChangeEvent.From(table, batch)).ConfigureAwait(true);
        }
        catch (Exception e)
        {
            log.PublishFailed(e, snapshotId, table);
        }
    }
}
