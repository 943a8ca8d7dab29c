using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TableStore.Core;
using TableStore.Core.IO;
using TableStore.Core.Lookup;
using TableStore.Core.Table;

namespace TableStore.Grains;

/// <summary>
/// What every grain on a silo shares: the warehouse, its catalog, one <see cref="FileStoreTable"/> per table
/// (so manifest and schema caches are shared) and the lookup file cache.
/// </summary>
public sealed class TableStoreRuntime
{
    private sealed record CachedTable(Task<FileStoreTable> Table, long LoadedTimestamp);

    private readonly ConcurrentDictionary<string, CachedTable> _tables = new(StringComparer.Ordinal);

    /// <param name="stores">Opens the warehouse; null: local warehouses only.</param>
    public TableStoreRuntime(IOptions<TableStoreOptions> options, ILoggerFactory loggers, TimeProvider? time = null, ObjectStoreFactory? stores = null)
    {
        Options = options.Value;
        Loggers = loggers;
        Time = time ?? TimeProvider.System;
        Store = (stores ?? ObjectStoreFactory.Local).Open(Options.Warehouse, Options.ObjectStore);
        Catalog = new Catalog(Store, Time, loggers);
        LookupCache = new LookupFileCache(Options.LookupCacheBytes);
    }

    public TableStoreOptions Options { get; }
    public ILoggerFactory Loggers { get; }
    public TimeProvider Time { get; }
    public IObjectStore Store { get; }
    public Catalog Catalog { get; }
    public LookupFileCache LookupCache { get; }

    /// <summary>
    /// The table at its latest schema, shared by the grains of this silo. Checked against the warehouse every
    /// <see cref="TableStoreOptions.SchemaRefreshInterval"/>, so an alter or a drop made through another silo is seen
    /// here too; a failed load is not cached. <paramref name="checkSchemaNow"/>: check now, whatever the interval.
    /// </summary>
    public async Task<FileStoreTable> GetTableAsync(string name, bool checkSchemaNow = false)
    {
        if (_tables.TryGetValue(name, out var cached) && !cached.Table.IsFaulted)
        {
            if (!cached.Table.IsCompleted || (!checkSchemaNow && Time.GetElapsedTime(cached.LoadedTimestamp) < Options.SchemaRefreshInterval))
                return await cached.Table.ConfigureAwait(false);
            var current = await cached.Table.ConfigureAwait(false);
            var latest = await current.Schemas.LatestAsync().ConfigureAwait(false);
            if (latest is not null && latest.Id == current.Schema.Id && latest.TimeMillis == current.Schema.TimeMillis)
            {
                _tables.TryUpdate(name, cached with { LoadedTimestamp = Time.GetTimestamp() }, cached);
                return current;
            }
        }
        var load = new CachedTable(Catalog.GetTableAsync(Identifier.Parse(name)), Time.GetTimestamp());
        _tables[name] = load;
        try { return await load.Table.ConfigureAwait(false); }
        catch
        {
            _tables.TryRemove(new KeyValuePair<string, CachedTable>(name, load));
            throw;
        }
    }

    /// <summary>
    /// The table, checked to still exist now (not only at the last schema refresh): a drop made through another silo
    /// must never let a commit land in the dropped folder.
    /// </summary>
    /// <param name="checkSchemaNow">
    /// Also check the schema now (<see cref="GetTableAsync"/>): for callers that report it, so a client that altered a
    /// table through one silo never reads the old schema back through another.
    /// </param>
    public async Task<FileStoreTable> GetExistingTableAsync(string name, bool checkSchemaNow = false)
    {
        var table = await GetTableAsync(name, checkSchemaNow).ConfigureAwait(false);
        if (await Catalog.TableExistsAsync(table.Identifier).ConfigureAwait(false)) return table;
        Forget(name);
        throw new TableNotFoundException(name, Store.Location);
    }

    private readonly ConcurrentDictionary<string, byte> _writtenTables = new(StringComparer.Ordinal);

    /// <summary>Notes that this silo holds grains with unflushed writes of a table: shutdown commits them first.</summary>
    public void TrackWrites(string table) => _writtenTables.TryAdd(table, 0);

    public IReadOnlyCollection<string> TablesWithWrites => (IReadOnlyCollection<string>)_writtenTables.Keys;

    /// <summary>Forgets a table after it was dropped or altered, so the next use reads its schema again.</summary>
    public void Forget(string name) => _tables.TryRemove(name, out _);
}
