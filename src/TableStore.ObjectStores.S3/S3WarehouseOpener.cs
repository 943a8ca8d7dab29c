using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TableStore.Core.IO;

namespace TableStore.ObjectStores.S3;

/// <summary>Lets an <see cref="ObjectStoreFactory"/> open <c>s3://</c> warehouses (<see cref="S3Warehouse"/>, settings from the environment).</summary>
public sealed class S3WarehouseOpener : IWarehouseOpener
{
    public string Scheme => S3Warehouse.Scheme;

    public IObjectStore Open(string uri, ObjectStoreOptions options) => S3Warehouse.Open(uri, new S3Warehouse.Settings(Store: options));
}

public static class S3WarehouseServiceCollectionExtensions
{
    /// <summary>Lets the <see cref="ObjectStoreFactory"/> of this container (a silo's) open <c>s3://</c> warehouses.</summary>
    public static IServiceCollection AddS3Warehouses(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWarehouseOpener, S3WarehouseOpener>());
        return services;
    }
}
