using TableStore.Core.IO;

namespace TableStore.ObjectStores.Azure;

/// <summary>Lets an <see cref="ObjectStoreFactory"/> open <c>az://</c> warehouses (<see cref="AzureWarehouse"/>, credentials from the environment).</summary>
public sealed class AzureWarehouseOpener : IWarehouseOpener
{
    public string Scheme => AzureWarehouse.Scheme;

    public IObjectStore Open(string uri, ObjectStoreOptions options) => AzureWarehouse.Open(uri, new AzureWarehouse.Settings(Store: options));
}
