using TableStore.Core.IO;

namespace TableStore.ObjectStores.S3;

/// <summary>Lets an <see cref="ObjectStoreFactory"/> open <c>s3://</c> warehouses (<see cref="S3Warehouse"/>, settings from the environment).</summary>
public sealed class S3WarehouseOpener : IWarehouseOpener
{
    public string Scheme => S3Warehouse.Scheme;

    public IObjectStore Open(string uri, ObjectStoreOptions options) => S3Warehouse.Open(uri, new S3Warehouse.Settings(Store: options));
}
