using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TableStore.Abstractions;
using TableStore.Core.Api;

namespace TableStore.Client;

public static class TableStoreClientHostingExtensions
{
    /// <summary>Registers <see cref="TableStoreClient"/> (also as <see cref="ITableStore"/>) on an Orleans client.</summary>
    public static IClientBuilder AddTableStoreClient(this IClientBuilder builder, Action<TableStoreClientOptions>? configure = null)
    {
        builder.Services.AddTableStoreClient(configure);
        return builder;
    }

    /// <summary>Registers <see cref="TableStoreClient"/> in any container with an <see cref="IGrainFactory"/> (a silo, for co-hosted callers).</summary>
    public static IServiceCollection AddTableStoreClient(this IServiceCollection services, Action<TableStoreClientOptions>? configure = null)
    {
        var options = services.AddOptions<TableStoreClientOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigurationValidator, TableStoreClientOptionsValidator>());
        if (configure is not null) options.Configure(configure);
        services.AddTableStoreExceptions();
        services.TryAddSingleton<TableStoreClient>();
        services.TryAddSingleton<ITableStore>(sp => sp.GetRequiredService<TableStoreClient>());
        return services;
    }
}
