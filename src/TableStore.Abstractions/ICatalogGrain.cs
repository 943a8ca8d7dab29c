namespace TableStore.Abstractions;

/// <summary>
/// The tables of the cluster's warehouse. One activation (key <see cref="GrainKeys.Catalog"/>); reads of one table go
/// to its <see cref="ITableGrain"/> instead, so the catalog never becomes a hot spot.
/// </summary>
[Alias("TableStore.ICatalogGrain")]
public interface ICatalogGrain : IGrainWithStringKey
{
    [Alias("CreateTable")] Task<TableInfo> CreateTableAsync(string table, Core.Table.TableDefinition definition);
    [Alias("AlterTable")] Task<TableInfo> AlterTableAsync(string table, TableAlteration alteration);
    [Alias("DropTable")] Task DropTableAsync(string table);
    [Alias("ListTables")] Task<IReadOnlyList<string>> ListTablesAsync();
}
