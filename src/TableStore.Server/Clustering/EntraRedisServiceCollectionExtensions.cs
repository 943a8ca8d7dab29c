using Azure.Identity;
using Microsoft.Extensions.Logging;
using Orleans.Clustering.Redis;

namespace TableStore.Server.Clustering;

internal static class EntraRedisServiceCollectionExtensions
{
    /// <summary>
    /// Orleans' Redis membership table connects through an <see cref="EntraRedisConnection"/> with the default Azure
    /// credential (on Azure: the managed identity named by AZURE_CLIENT_ID). The connection lives as long as the host.
    /// </summary>
    public static IServiceCollection AddEntraRedisSignIn(this IServiceCollection services)
    {
        services.AddSingleton(sp => new EntraRedisConnection(new DefaultAzureCredential(), sp.GetRequiredService<ILogger<EntraRedisConnection>>()));
        services.AddOptions<RedisClusteringOptions>().Configure<EntraRedisConnection>((options, entra) =>
            options.CreateMultiplexer = async o => (await entra.ConnectAsync(o.ConfigurationOptions!).ConfigureAwait(false), true));
        return services;
    }
}
