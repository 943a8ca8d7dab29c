using Microsoft.Extensions.Logging;
using TableStore.Abstractions;
using TableStore.Core;
using TableStore.Core.Schema;
using TableStore.Core.Table;

namespace TableStore.Grains.Table;

/// <summary>
/// Creates, alters, drops and lists the warehouse's tables through the core catalog (whose put-if-absent of
/// <c>schema-0</c> keeps concurrent creates safe even across clusters). Drops tell the table grain first, so writes
/// waiting to commit fail with a clear reason instead of landing in a deleted folder.
/// </summary>
internal sealed class CatalogGrain(TableStoreRuntime runtime, ILogger<CatalogGrain> log) : Grain, ICatalogGrain
{
    public async Task<TableInfo> CreateTableAsync(string table, TableDefinition definition)
    {
        var id = Identifier.Parse(table);
        var created = await runtime.Catalog.CreateTableAsync(id, definition).ConfigureAwait(true);
        runtime.Forget(id.FullName);
        return new TableInfo(id.FullName, created.Schema, null);
    }

    public async Task<TableInfo> AlterTableAsync(string table, TableAlteration alteration)
    {
        var id = Identifier.Parse(table);
        var altered = await runtime.Catalog.AlterTableAsync(id, alteration.ToChanges()).ConfigureAwait(true);
        runtime.Forget(id.FullName);
        log.TableAlteredInCluster(id, altered.Schema.Id);
        return new TableInfo(id.FullName, altered.Schema, await altered.Snapshots.LatestIdAsync().ConfigureAwait(true));
    }

    public async Task DropTableAsync(string table)
    {
        var id = Identifier.Parse(table);
        try { await GrainFactory.GetGrain<ITableAdminGrain>(id.FullName).CloseAsync($"table {id.FullName} was dropped").ConfigureAwait(true); }
        catch (TableNotFoundException) { } // finishing an interrupted drop: nothing can be writing
        await runtime.Catalog.DropTableAsync(id).ConfigureAwait(true);
        runtime.Forget(id.FullName);
    }

    public async Task<IReadOnlyList<string>> ListTablesAsync() =>
        (await runtime.Catalog.ListTablesAsync().ConfigureAwait(true)).Select(t => t.FullName).ToList();
}
