using System.Net;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using TableStore.Abstractions;

namespace TableStore.Server;

/// <summary>
/// The silo host's settings, in the <c>TableStore</c> configuration section next to the grains' own
/// (<c>TableStore__SiloPort</c>, <c>TableStore__Clustering=redis</c>, ...).
/// </summary>
public sealed class ServerOptions
{
    public const string LocalhostClustering = "localhost";
    public const string RedisClustering = "redis";
    public const string KeyAuthentication = "key";
    public const string EntraAuthentication = "entra";

    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// The HTTP port: health (<c>/health/live</c>, <c>/health/ready</c>) and, when <see cref="Dashboard"/> is on,
    /// the Orleans Dashboard at <c>/dashboard</c>. It listens on 127.0.0.1, or on every address with
    /// <see cref="ListenOnAnyAddress"/> (a container's probes come from outside it).
    /// </summary>
    public int HttpPort { get; set; } = 8080;

    /// <summary>Serves the Orleans Dashboard (grains, calls, silos) on <see cref="HttpPort"/> at <c>/dashboard</c>. Off by default: it has no authentication.</summary>
    public bool Dashboard { get; set; }

    /// <summary>How long the readiness check waits for the warehouse to answer before it calls the silo not ready.</summary>
    public TimeSpan ReadyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary><c>localhost</c> (one silo, no external dependency) or <c>redis</c> (a membership table in Redis).</summary>
    public string Clustering { get; set; } = LocalhostClustering;

    /// <summary>The Redis connection string for <c>Clustering=redis</c>, e.g. <c>localhost:6379</c>.</summary>
    public string? Redis { get; set; }

    /// <summary>
    /// How the silo signs in to Redis: <c>key</c> (whatever the connection string holds: a password, or nothing) or
    /// <c>entra</c> (a Microsoft Entra ID token of the silo's identity, kept fresh; the connection string has no
    /// password). Azure deployments use <c>entra</c> with <c>AZURE_CLIENT_ID</c> naming the identity.
    /// </summary>
    public string RedisAuthentication { get; set; } = KeyAuthentication;

    /// <summary>Silos with the same cluster id form one cluster (Redis clustering keeps clusters apart by it).</summary>
    public string ClusterId { get; set; } = TableStoreDefaults.ClusterId;

    public string ServiceId { get; set; } = TableStoreDefaults.ClusterId;

    /// <summary>The address other silos and clients reach this one at; default: this host's address (127.0.0.1 for localhost clustering).</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>
    /// Bind the HTTP port, and with Redis clustering the silo and gateway ports, on every address rather than on
    /// loopback or the advertised one. For containers, whose probes come from outside and whose own view of their
    /// address need not be the one others dial; off for a machine's own silos (the dashboard has no authentication).
    /// </summary>
    public bool ListenOnAnyAddress { get; set; }

    /// <summary>Throws <see cref="InvalidOperationException"/> naming every setting that makes no sense (the rules of <see cref="ServerOptionsValidator"/>).</summary>
    public void Validate()
    {
        var errors = ServerOptionsValidator.Errors(this);
        if (errors.Count > 0) throw new InvalidOperationException(ServerOptionsValidator.Message(errors));
    }

    /// <summary>
    /// Fails with the setting to change when a port is taken (a second silo on this machine, say), before Orleans and
    /// Kestrel fail on it with pages of stack traces. A port taken between this check and the bind still fails, later.
    /// </summary>
    public void EnsurePortsFree()
    {
        var orleans = IsRedis ? IPAddress.Any : IPAddress.Loopback;
        foreach (var (name, port, address) in new[] { (nameof(SiloPort), SiloPort, orleans), (nameof(GatewayPort), GatewayPort, orleans), (nameof(HttpPort), HttpPort, HttpAddress) })
        {
            var listener = new System.Net.Sockets.TcpListener(address, port);
            try
            {
                listener.Start();
            }
            catch (System.Net.Sockets.SocketException e) when (e.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse)
            {
                throw new InvalidOperationException($"Port {port} ({name}) is already in use on {address}: another silo or program listens there. Give each silo on a machine its own TableStore__SiloPort, TableStore__GatewayPort and TableStore__HttpPort.");
            }
            finally
            {
                listener.Stop();
            }
        }
    }

    /// <summary>Where HTTP listens: every address with <see cref="ListenOnAnyAddress"/>, else loopback.</summary>
    public IPAddress HttpAddress => ListenOnAnyAddress ? IPAddress.Any : IPAddress.Loopback;

    public bool IsEntraRedis => string.Equals(RedisAuthentication, EntraAuthentication, StringComparison.OrdinalIgnoreCase);

    public bool IsRedis => string.Equals(Clustering, RedisClustering, StringComparison.OrdinalIgnoreCase);
}

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
        if (o.AdvertisedAddress is { } a && !IPAddress.TryParse(a, out _)) errors.Add($"{S}AdvertisedAddress '{a}' is not an IP address.");
        return errors;
    }
}
