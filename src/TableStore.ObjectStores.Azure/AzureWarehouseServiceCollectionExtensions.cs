using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TableStore.Core.IO;

namespace TableStore.ObjectStores.Azure;

public static class AzureWarehouseServiceCollectionExtensions
{
    /// <summary>Lets the <see cref="ObjectStoreFactory"/> of this container (a silo's) open <c>az://</c> warehouses.</summary>
    public static IServiceCollection AddAzureWarehouses(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWarehouseOpener, AzureWarehouseOpener>());
        return services;
    }
}
