using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace TableStore.Abstractions;

public static class TableStoreServiceCollectionExtensions
{
    /// <summary>
    /// Lets TableStore's exceptions cross the wire as themselves (Orleans rebuilds exception types only from
    /// namespaces it was told about), so clients can catch <c>TableNotFoundException</c> or
    /// <see cref="WriteNotCommittedException"/>. Silos and clients both need it.
    /// </summary>
    public static IServiceCollection AddTableStoreExceptions(this IServiceCollection services) =>
        services.Configure<ExceptionSerializationOptions>(o =>
        {
            o.SupportedNamespacePrefixes.Add("TableStore"); // a set: adding twice is harmless
        });
}
