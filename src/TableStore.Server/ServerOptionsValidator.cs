using System.Net;
using Microsoft.Extensions.Options;

namespace TableStore.Server;

/// <summary>
/// Fails silo start-up with a message that names each wrong setting by its configuration path
/// (<c>TableStore:HttpPort</c>, ...). The server also runs it before it builds the host, whose ports and addresses
/// come from these settings.
/// </summary>
public sealed class ServerOptionsValidator(IOptions<ServerOptions> options) : IConfigurationValidator
{
    private const string S = "TableStore:";

    public void ValidateConfiguration()
    {
        var errors = Errors(options.Value);
        if (errors.Count > 0) throw new OrleansConfigurationException(Message(errors));
    }

    internal static string Message(List<string> errors) => "Invalid TableStore server settings: " + string.Join(" ", errors);

    internal static List<string> Errors(ServerOptions o)
    {
        var errors = new List<string>();
        if (o.SiloPort is < 1 or > 65535) errors.Add($"{S}SiloPort must be between 1 and 65535, got {o.SiloPort}.");
        if (o.GatewayPort is < 1 or > 65535) errors.Add($"{S}GatewayPort must be between 1 and 65535, got {o.GatewayPort}.");
        if (o.HttpPort is < 1 or > 65535) errors.Add($"{S}HttpPort must be between 1 and 65535, got {o.HttpPort}.");
        if (o.SiloPort == o.GatewayPort) errors.Add($"{S}SiloPort and {S}GatewayPort must differ (both {o.SiloPort}).");
        if (o.HttpPort == o.SiloPort || o.HttpPort == o.GatewayPort) errors.Add($"{S}HttpPort ({o.HttpPort}) must differ from {S}SiloPort ({o.SiloPort}) and {S}GatewayPort ({o.GatewayPort}).");
        if (o.ReadyTimeout <= TimeSpan.Zero || o.ReadyTimeout > TimeSpan.FromMinutes(1)) errors.Add($"{S}ReadyTimeout must be more than 0 and at most 00:01:00, got {o.ReadyTimeout}.");
        if (!string.Equals(o.Clustering, ServerOptions.LocalhostClustering, StringComparison.OrdinalIgnoreCase) && !o.IsRedis)
            errors.Add($"{S}Clustering must be '{ServerOptions.LocalhostClustering}' or '{ServerOptions.RedisClustering}', got '{o.Clustering}'.");
        if (o.IsRedis && string.IsNullOrWhiteSpace(o.Redis)) errors.Add($"{S}Redis is empty: Clustering=redis needs a connection string in TableStore__Redis, e.g. localhost:6379.");
        if (!string.Equals(o.RedisAuthentication, ServerOptions.KeyAuthentication, StringComparison.OrdinalIgnoreCase) && !o.IsEntraRedis)
            errors.Add($"{S}RedisAuthentication must be '{ServerOptions.KeyAuthentication}' or '{ServerOptions.EntraAuthentication}', got '{o.RedisAuthentication}'.");
        if (o.IsEntraRedis && o.Redis is { } cs && StackExchange.Redis.ConfigurationOptions.Parse(cs, ignoreUnknown: true).Password is { Length: > 0 })
            errors.Add($"{S}Redis has a password, but RedisAuthentication=entra signs in with a token: remove the password from TableStore__Redis.");
        if (string.IsNullOrWhiteSpace(o.ClusterId)) errors.Add($"{S}ClusterId is empty.");
        if (string.IsNullOrWhiteSpace(o.ServiceId)) errors.Add($"{S}ServiceId is empty.");
        if (o.TlsCertificate is { Length: > 0 } cert && !File.Exists(cert)) errors.Add($"{S}TlsCertificate: no file {cert}.");
        if (o.TlsTrustedCertificate is { Length: > 0 } trusted && !File.Exists(trusted)) errors.Add($"{S}TlsTrustedCertificate: no file {trusted}.");
        if (o.TlsTrustedCertificate is { Length: > 0 } && o.TlsCertificate is not { Length: > 0 }) errors.Add($"{S}TlsTrustedCertificate is set but TlsCertificate is not: TLS needs the silo's own certificate.");
        if (o.AdvertisedAddress is { } a && !IPAddress.TryParse(a, out _)) errors.Add($"{S}AdvertisedAddress '{a}' is not an IP address.");
        return errors;
    }
}
