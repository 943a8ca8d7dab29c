using TableStore.Core.IO;
using TableStore.Core.Schema;
using TableStore.Core.Table;

namespace TableStore.Core.Tests.Support;

internal static class TestTables
{
    public static TableDefinition Orders(int buckets = 2, IReadOnlyDictionary<string, string>? options = null) => new(
        SchemaParser.ParseColumns("id BIGINT, customer STRING NOT NULL, amount DECIMAL(10,2), note STRING"),
        PrimaryKeys: ["id"], Buckets: buckets, Options: options);

    public static async Task<FileStoreTable> CreateAsync(IObjectStore store, TableDefinition def, string name = "db.t")
    {
        var catalog = new Catalog(store);
        return await catalog.CreateTableAsync(Identifier.Parse(name), def);
    }
}
