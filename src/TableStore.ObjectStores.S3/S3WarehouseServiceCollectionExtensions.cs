using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TableStore.Core.IO;

namespace TableStore.ObjectStores.S3;

public static class S3WarehouseServiceCollectionExtensions
{
    /// <summary>Lets the <see cref="ObjectStoreFactory"/> of this container (a silo's) open <c>s3://</c> warehouses.</summary>
    public static IServiceCollection AddS3Warehouses(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWarehouseOpener, S3WarehouseOpener>());
        return services;
    }
}
