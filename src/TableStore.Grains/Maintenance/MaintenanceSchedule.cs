using Microsoft.Extensions.Logging;
using TableStore.Core.Maintenance;
using TableStore.Core.Table;

namespace TableStore.Grains.Maintenance;

/// <summary>
/// A table's scheduled housekeeping, set by its options: expiration every <c>snapshot.expire.interval</c> (with
/// <c>snapshot.num-retained.min/max</c> and <c>snapshot.time-retained</c>), full compaction every
/// <c>compaction.full.interval</c>, and deletion of uploads abandoned for <paramref name="abandonedUpload"/> (checked
/// every quarter of it). Owned by the table's commit grain and ticked by its timer; jobs run on the
/// thread pool, one at a time, and a failure is logged and tried again at the next interval.
/// </summary>
internal sealed class MaintenanceSchedule(TimeProvider time, TimeSpan abandonedUpload, ILogger log)
{
    private readonly long _started = time.GetTimestamp();
    private long? _lastExpire, _lastFullCompaction, _lastUploadCheck;
    private Task _running = Task.CompletedTask;

    /// <summary>The job that is running (or the last one), for shutdown.</summary>
    public Task Running => _running;

    public void Tick(FileStoreTable table)
    {
        if (!_running.IsCompleted) return;
        var o = table.Schema.CoreOptions;
        bool expire = Due(o.ExpireInterval, _lastExpire);
        bool compact = Due(o.FullCompactionInterval, _lastFullCompaction);
        // The first check comes early: a silo that restarted finds what its predecessor's clients left.
        bool uploads = _lastUploadCheck is null || Due(abandonedUpload / 4, _lastUploadCheck);
        if (!expire && !compact && !uploads) return;
        long now = time.GetTimestamp();
        if (expire) _lastExpire = now;
        if (compact) _lastFullCompaction = now;
        if (uploads) _lastUploadCheck = now;
        _running = Task.Run(() => RunAsync(table, expire, compact, uploads));
    }

    private bool Due(TimeSpan? interval, long? last) =>
        interval is { } i && time.GetElapsedTime(last ?? _started) >= i;

    private async Task RunAsync(FileStoreTable table, bool expire, bool compact, bool uploads)
    {
        try
        {
            if (uploads && await new StagedWrites(table).DeleteAbandonedAsync(abandonedUpload).ConfigureAwait(false) is > 0 and var deleted)
                log.AbandonedUploadsDeleted(deleted, table.Identifier.FullName, abandonedUpload);
            // Compaction first: expiration can then release the files it replaced.
            if (compact) await table.CompactAsync(new CompactOptions { Full = true }).ConfigureAwait(false);
            if (expire) await new SnapshotExpiration(table).RunAsync(ExpireOptions.FromTable(table.Schema.CoreOptions)).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            log.ScheduledMaintenanceFailed(e, table.Identifier.FullName);
        }
    }
}
