using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TableStore.Abstractions;
using TableStore.Core.IO;

namespace TableStore.Grains.Hosting;

/// <summary><c>siloBuilder.AddTableStore(...)</c>: the grains' services, options and validation, Orleans style.</summary>
public static class TableStoreSiloBuilderExtensions
{
    /// <summary>Adds TableStore with options bound from <paramref name="configuration"/> (the <c>TableStore</c> section).</summary>
    public static ISiloBuilder AddTableStore(this ISiloBuilder builder, IConfiguration configuration) =>
        builder.AddTableStore(o => configuration.Bind(o));

    public static ISiloBuilder AddTableStore(this ISiloBuilder builder, Action<TableStoreOptions>? configure = null)
    {
        var services = builder.Services;
        var options = services.AddOptions<TableStoreOptions>();
        if (configure is not null) options.Configure(configure);
        services.TryAddSingleton(TimeProvider.System);
        // The warehouse is opened by the stores registered here: local ones built in, cloud ones by AddS3Warehouses(), AddAzureWarehouses().
        services.TryAddSingleton(sp => new ObjectStoreFactory(sp.GetServices<IWarehouseOpener>()));
        services.TryAddSingleton<TableStoreRuntime>();
        services.AddSingleton<IConfigurationValidator, TableStoreOptionsValidator>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, ShutdownFlush>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, Ingest.IngestJobKeeper>();
        services.AddTableStoreExceptions();
        return builder;
    }
}
