using TableStore.Core.IO;

namespace TableStore.Testing;

/// <summary>
/// Lets an <see cref="ObjectStoreFactory"/> open <c>memory://</c> warehouses: each open is a new, empty
/// <see cref="InMemoryObjectStore"/>. A test scheme, not built into the product: a test gives it to the factory or
/// registers it on a silo (<see cref="MemoryWarehouseServiceCollectionExtensions.AddMemoryWarehouses"/>).
/// </summary>
public sealed class MemoryWarehouseOpener : IWarehouseOpener
{
    public const string SchemeName = "memory";

    public string Scheme => SchemeName;

    public IObjectStore Open(string uri, ObjectStoreOptions options) => new InMemoryObjectStore();
}
