using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using TableStore.Abstractions;
using TableStore.Abstractions.Security;
using TableStore.Core;

namespace TableStore.Client;

/// <summary>
/// A connection to a TableStore cluster through one gateway (<c>host:port</c>), for programs that do not host
/// Orleans themselves (the CLI). Applications with their own host use <see cref="TableStoreClientHostingExtensions"/>.
/// </summary>
internal sealed class TableStoreConnection : IAsyncDisposable
{
    private readonly IHost _host;

    private TableStoreConnection(IHost host)
    {
        _host = host;
        Client = host.Services.GetRequiredService<TableStoreClient>();
    }

    public TableStoreClient Client { get; }

    /// <summary>How long a connect may take by default: a live silo answers in milliseconds.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The longest connect timeout accepted.</summary>
    public static readonly TimeSpan MaxConnectTimeout = TimeSpan.FromHours(1);

    /// <param name="gateway"><c>host:port</c> of a silo's gateway.</param>
    /// <param name="clusterId">Must match the silos' cluster id: a gateway refuses clients of another cluster.</param>
    public static Task<TableStoreConnection> ConnectAsync(string gateway, string clusterId, string serviceId, CancellationToken ct) =>
        ConnectAsync(gateway, clusterId, serviceId, null, null, null, ct);

    /// <param name="gateway">
    /// <c>host:port</c> of a silo's gateway, or several separated by commas: the client then uses every one that
    /// answers and carries on through the others when one silo fails.
    /// </param>
    /// <param name="clusterId">Must match the silos' cluster id: a gateway refuses clients of another cluster.</param>
    /// <param name="connectTimeout">
    /// The whole connect, name lookup included (default <see cref="DefaultConnectTimeout"/>, at most
    /// <see cref="MaxConnectTimeout"/>); Orleans alone would retry for minutes.
    /// </param>
    /// <param name="configureClient">The client's own settings (write timeout, retries).</param>
    /// <param name="tls">TLS to the gateway (null: none), for silos with <c>TableStore:TlsCertificate</c>.</param>
    public static async Task<TableStoreConnection> ConnectAsync(string gateway, string clusterId = TableStoreDefaults.ClusterId, string serviceId = TableStoreDefaults.ClusterId,
        TimeSpan? connectTimeout = null, Action<TableStoreClientOptions>? configureClient = null, ConnectionTls? tls = null, CancellationToken ct = default)
    {
        var timeout = connectTimeout ?? DefaultConnectTimeout;
        if (timeout <= TimeSpan.Zero || timeout > MaxConnectTimeout)
            throw new InvalidInputException($"The connect timeout must be more than 0 and at most {MaxConnectTimeout}, got {timeout}.");
        // One deadline for every step: name lookup, the plain TCP check, the Orleans handshake and start-up.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        string TimedOut() => $"no connection within {timeout.TotalSeconds:0.#} s";
        IReadOnlyList<(string Text, IPEndPoint Endpoint)> gateways;
        try
        {
            gateways = await ParseGatewaysAsync(gateway, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TableStoreException(ConnectFailure(gateway, clusterId, TimedOut(), "the name lookup timed out"));
        }
        await EnsureAnyListeningAsync(gateways, gateway, clusterId, TimedOut, deadline.Token, ct).ConfigureAwait(false);
        var diagnostics = new ConnectionDiagnostics();
        var host = Host.CreateDefaultBuilder()
            .ConfigureLogging(l => l.ClearProviders().AddProvider(diagnostics))
            .UseOrleansClient(client =>
            {
                client.UseStaticClustering(gateways.Select(g => g.Endpoint).ToArray())
                    .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, serviceId))
                    .AddMemoryStreams(ChangeStreams.DefaultProvider)
                    .AddTableStoreClient(configureClient);
                if (tls is not null)
                {
                    var trust = new CertificateTrust(tls.TrustedCertificate, checkName: true);
                    // The name each certificate must carry is the host as dialled, told apart by the address connected to.
                    var hosts = gateways.ToDictionary(g => g.Endpoint, g => HostOf(g.Text));
                    client.UseTls(o =>
                    {
                        o.RemoteCertificateValidation = trust.Accept;
                        o.OnAuthenticateAsClient = (connection, ssl) => ssl.TargetHost =
                            connection.RemoteEndPoint is IPEndPoint remote && hosts.TryGetValue(remote, out var host) ? host : HostOf(gateways[0].Text);
                    });
                }
            })
            .Build();
        try
        {
            // WaitAsync as well: parts of Orleans' client start-up (fetching the cluster manifest) do not observe the
            // token, and a silo that stalls after the handshake would hold them forever.
            await host.StartAsync(deadline.Token).WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is not Orleans.Runtime.OrleansConfigurationException)
        {
            DisposeInBackground(host);
            var timedOut = e is OperationCanceledException;
            // The TCP connect just succeeded: a deadline with no failure reported means the handshake went unanswered.
            var failure = diagnostics.FailureBefore(DateTime.UtcNow) ?? (timedOut ? "handshake timed out" : null);
            throw new TableStoreException(ConnectFailure(gateway, clusterId, timedOut ? TimedOut() : e.Message, failure, tls is not null), e);
        }
        catch
        {
            DisposeInBackground(host);
            throw;
        }
        return new TableStoreConnection(host);
    }

    /// <summary>A host whose start was abandoned may still be inside it: disposing must not hold up the error.</summary>
    private static void DisposeInBackground(IHost host) => _ = Task.Run(() =>
    {
        try { host.Dispose(); }
        catch (Exception) { } // the caller already has the error that matters
    });

    /// <summary>
    /// One plain TCP connect to each gateway first: a port nobody listens on is refused at once, where Orleans would
    /// keep retrying until the deadline. One gateway that listens is enough; the client finds the others' silos later.
    /// </summary>
    private static async Task EnsureAnyListeningAsync(IReadOnlyList<(string Text, IPEndPoint Endpoint)> gateways, string gateway, string clusterId,
        Func<string> timedOut, CancellationToken deadline, CancellationToken ct)
    {
        using var firstListening = CancellationTokenSource.CreateLinkedTokenSource(deadline);
        var probes = gateways.Select(async g =>
        {
            using var probe = new TcpClient(g.Endpoint.AddressFamily);
            try
            {
                await probe.ConnectAsync(g.Endpoint, firstListening.Token).ConfigureAwait(false);
                await firstListening.CancelAsync().ConfigureAwait(false);
                return (Exception?)null;
            }
            catch (Exception e) { return e; }
        }).ToList();
        var failures = await Task.WhenAll(probes).ConfigureAwait(false);
        if (failures.Any(f => f is null)) return;
        var failure = failures.OfType<SocketException>().FirstOrDefault();
        if (failure is not null)
            throw new TableStoreException(ConnectFailure(gateway, clusterId, "no connection", failure.SocketErrorCode == SocketError.ConnectionRefused ? "connection refused" : failure.Message), failure);
        ct.ThrowIfCancellationRequested();
        if (deadline.IsCancellationRequested)
            throw new TableStoreException(ConnectFailure(gateway, clusterId, timedOut(), "the TCP connect timed out (a firewall, or a host that is down)"));
        throw new TableStoreException(ConnectFailure(gateway, clusterId, "no connection", failures[0]!.Message), failures[0]!);
    }

    /// <summary>What went wrong, told from what the connection attempts saw.</summary>
    private static string ConnectFailure(string gateway, string clusterId, string outcome, string? failure, bool tls = false)
    {
        var cause = failure switch
        {
            null => "",
            _ when failure.Contains("refused", StringComparison.OrdinalIgnoreCase) =>
                $" Nothing listens at {gateway} ({failure}): is a silo running there, and is that its gateway port?",
            _ when failure.StartsWith("the ", StringComparison.Ordinal) => $" {char.ToUpperInvariant(failure[0])}{failure[1..]}.",
            _ when failure.Contains("Authentication failed", StringComparison.OrdinalIgnoreCase) || failure.Contains("certificate", StringComparison.OrdinalIgnoreCase)
                   || failure.Contains("SSL", StringComparison.Ordinal) || failure.Contains("TLS", StringComparison.Ordinal) =>
                $" The TLS handshake with {gateway} failed ({failure}): is TLS on at the silo (TableStore:TlsCertificate), and does its certificate chain to the certificate this client trusts and name the host dialled?",
            _ when tls && (failure.Contains("Connection initialization failed", StringComparison.OrdinalIgnoreCase) || failure.Contains("terminated prematurely", StringComparison.OrdinalIgnoreCase)) =>
                $" The TLS connection to {gateway} could not be set up: does the silo have TLS on (TableStore:TlsCertificate), does its certificate chain to the certificate this client trusts (or to the system's roots) and name the host dialled?",
            _ when failure.Contains("Connection initialization failed", StringComparison.OrdinalIgnoreCase) =>
                $" The server at {gateway} did not complete the connection's setup: it most likely requires TLS (its silos have TableStore:TlsCertificate) and this client connected without it, or it is not a TableStore silo.",
            _ when failure.Contains("terminated prematurely", StringComparison.OrdinalIgnoreCase) || failure.Contains("Unexpected cluster id", StringComparison.Ordinal)
                   || failure.Contains("Underlying connection closed", StringComparison.OrdinalIgnoreCase) =>
                $" The server at {gateway} closed the connection during the Orleans handshake: it is most likely a silo of another cluster (this client asked for cluster '{clusterId}'; a silo logs its cluster id when it is ready), a silo that requires TLS (a client without it is dropped at once), or a proxy (a load balancer, Container Apps ingress) with no silo running behind it.",
            // Orleans gives up on a handshake after ConnectionOptions.OpenConnectionTimeout (5 s) by cancelling it.
            _ when failure.Contains("timed out", StringComparison.OrdinalIgnoreCase) || failure.Contains("canceled", StringComparison.OrdinalIgnoreCase) =>
                $" The server at {gateway} accepted connections but did not answer the Orleans handshake: the silo may be paused, overloaded or still starting.",
            _ => $" The last attempt failed with: {failure}",
        };
        return $"Cannot connect to the TableStore cluster '{clusterId}' at {gateway}: {outcome}.{cause}";
    }

    /// <summary>Gateways separated by commas, each <c>host:port</c>.</summary>
    internal static async Task<IReadOnlyList<(string Text, IPEndPoint Endpoint)>> ParseGatewaysAsync(string text, CancellationToken ct)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) throw new InvalidInputException($"Invalid cluster address '{text}': expected HOST:PORT, e.g. localhost:30000, or several separated by commas.");
        var result = new List<(string, IPEndPoint)>();
        foreach (var part in parts) result.Add((part, await ParseGatewayAsync(part, ct).ConfigureAwait(false)));
        return result;
    }

    private static string HostOf(string gateway) => gateway[..gateway.LastIndexOf(':')].Trim('[', ']');

    /// <summary><c>host:port</c>; the host may be a name (resolved now) or an IP address.</summary>
    internal static async Task<IPEndPoint> ParseGatewayAsync(string text, CancellationToken ct)
    {
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), out var port) || port is < 1 or > 65535)
            throw new InvalidInputException($"Invalid cluster address '{text}': expected HOST:PORT, e.g. localhost:30000.");
        var host = HostOf(text);
        if (IPAddress.TryParse(host, out var ip)) return new IPEndPoint(ip, port);
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host, ct).ConfigureAwait(false);
            var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
                ?? throw new InvalidInputException($"Cluster host '{host}' has no address.");
            return new IPEndPoint(chosen, port);
        }
        catch (SocketException e)
        {
            throw new InvalidInputException($"Cannot resolve cluster host '{host}': {e.Message}");
        }
    }

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    public async ValueTask DisposeAsync()
    {
        // Bounded: leaving a cluster whose gateway stopped answering must not hang the process.
        using var deadline = new CancellationTokenSource(StopTimeout);
        try { await _host.StopAsync(deadline.Token).WaitAsync(StopTimeout).ConfigureAwait(false); }
        catch (TimeoutException) { } // the connection is dropped with the host below
        finally { _host.Dispose(); }
    }
}
