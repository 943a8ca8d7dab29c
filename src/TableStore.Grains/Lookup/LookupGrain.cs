using Orleans.Concurrency;
using TableStore.Core.Api;
using TableStore.Abstractions;
using TableStore.Core;
using TableStore.Core.Lookup;
using TableStore.Core.Manifest;
using TableStore.Core.Table;
using TableStore.Grains.Diagnostics;

namespace TableStore.Grains.Lookup;

/// <summary>
/// Point lookups in one bucket. Holds the bucket's file list for the snapshot last read; decoded files and bloom
/// filters live in the silo's shared <see cref="LookupFileCache"/>. "Latest" is re-read at most every
/// <see cref="TableStoreOptions.LookupLatestRefresh"/>, and never older than the caller's own last write.
/// </summary>
[Reentrant]
internal sealed class LookupGrain(TableStoreRuntime runtime) : Grain, ILookupGrain
{
    private BucketLookup? _lookup;
    private FileStoreTable? _lookupTable;
    private Snapshot? _latest;
    private long _latestReadTimestamp;
    private Snapshot? _pinned;

    private string Key => this.GetPrimaryKeyString();

    public async Task<LookupOutcome> LookupAsync(LookupRequest request)
    {
        var table = await runtime.GetTableAsync(GrainKeys.TableOf(Key)).ConfigureAwait(true);
        var snapshot = await ResolveAsync(table, request).ConfigureAwait(true);
        ServiceMetrics.Lookups.Add(1, ServiceMetrics.Table(table.Identifier.FullName));
        if (snapshot is null) return new LookupOutcome(null, null);
        var key = LookupKeys.TypeKey(table.Schema, request.Key);
        if (_lookup is null || !ReferenceEquals(_lookupTable, table))
        {
            var (partition, bucket) = new Core.Table.KeyRouter(table.Schema).Locate(key);
            _lookup = new BucketLookup(table, partition, bucket, runtime.LookupCache);
            _lookupTable = table;
        }
        var row = await _lookup.LookupAsync(snapshot, key, CancellationToken.None).ConfigureAwait(true);
        return new LookupOutcome(snapshot.Id, row);
    }

    private async Task<Snapshot?> ResolveAsync(FileStoreTable table, LookupRequest request)
    {
        if (request.SnapshotId is { } id)
        {
            if (_pinned?.Id != id && _latest?.Id != id) _pinned = await table.Snapshots.GetAsync(id).ConfigureAwait(true);
            return _latest?.Id == id ? _latest : _pinned;
        }
        if (_latest is null || _latest.Id < request.MinSnapshotId
            || runtime.Time.GetElapsedTime(_latestReadTimestamp) >= runtime.Options.LookupLatestRefresh)
        {
            _latestReadTimestamp = runtime.Time.GetTimestamp();
            _latest = await table.Snapshots.LatestAsync().ConfigureAwait(true);
            if (request.MinSnapshotId > (_latest?.Id ?? 0))
                throw new SnapshotNotFoundException($"Snapshot {request.MinSnapshotId} of {table.Identifier.FullName} is not visible yet (latest is {_latest?.Id}).");
        }
        return _latest;
    }
}
