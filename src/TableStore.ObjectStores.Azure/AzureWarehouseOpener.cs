using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TableStore.Core.IO;

namespace TableStore.ObjectStores.Azure;

/// <summary>Lets an <see cref="ObjectStoreFactory"/> open <c>az://</c> warehouses (<see cref="AzureWarehouse"/>, credentials from the environment).</summary>
public sealed class AzureWarehouseOpener : IWarehouseOpener
{
    public string Scheme => AzureWarehouse.Scheme;

    public IObjectStore Open(string uri, ObjectStoreOptions options) => AzureWarehouse.Open(uri, new AzureWarehouse.Settings(Store: options));
}

public static class AzureWarehouseServiceCollectionExtensions
{
    /// <summary>Lets the <see cref="ObjectStoreFactory"/> of this container (a silo's) open <c>az://</c> warehouses.</summary>
    public static IServiceCollection AddAzureWarehouses(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWarehouseOpener, AzureWarehouseOpener>());
        return services;
    }
}
