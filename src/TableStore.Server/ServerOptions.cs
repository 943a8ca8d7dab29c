using System.Net;
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

    /// <summary>
    /// TLS on the silo and gateway ports: the certificate the silo presents, a PKCS#12 file (<c>.pfx</c>/<c>.p12</c>,
    /// with <see cref="TlsCertificatePassword"/>) or a PEM file holding the certificate and its key. Unset: no TLS.
    /// Clients then connect with TLS too (<c>$TABLESTORE_TLS</c>/<c>$TABLESTORE_TLS_CA</c> for the CLI).
    /// </summary>
    public string? TlsCertificate { get; set; }

    /// <summary>The password of <see cref="TlsCertificate"/>: from the environment or a secret store, never logged.</summary>
    public string? TlsCertificatePassword { get; set; }

    /// <summary>
    /// The certificate (a private CA, or a self-signed one) that other silos' certificates must chain to; unset: the
    /// system's trusted roots. Silos reach each other by IP address, so host names are not checked between silos.
    /// </summary>
    public string? TlsTrustedCertificate { get; set; }

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
