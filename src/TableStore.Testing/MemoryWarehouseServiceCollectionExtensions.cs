using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TableStore.Core.IO;

namespace TableStore.Testing;

public static class MemoryWarehouseServiceCollectionExtensions
{
    /// <summary>Lets the <see cref="ObjectStoreFactory"/> of this container (a test silo's) open <c>memory://</c> warehouses.</summary>
    public static IServiceCollection AddMemoryWarehouses(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWarehouseOpener, MemoryWarehouseOpener>());
        return services;
    }
}
