using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using TableStore.Abstractions;
using TableStore.Core;

namespace TableStore.Client;

/// <summary>
/// A connection to a TableStore cluster through one gateway (<c>host:port</c>), for programs that do not host
/// Orleans themselves (the CLI). Applications with their own host use <see cref="TableStoreClientHostingExtensions"/>.
/// </summary>
public sealed class TableStoreConnection : IAsyncDisposable
{
    private readonly IHost _host;

    private TableStoreConnection(IHost host)
    {
        _host = host;
        Client = host.Services.GetRequiredService<TableStoreClient>();
    }

    public TableStoreClient Client { get; }

    /// <param name="gateway"><c>host:port</c> of a silo's gateway.</param>
    /// <param name="clusterId">Must match the silos' cluster id: a gateway refuses clients of another cluster.</param>
    public static async Task<TableStoreConnection> ConnectAsync(string gateway, string clusterId = TableStoreDefaults.ClusterId, string serviceId = TableStoreDefaults.ClusterId,
        CancellationToken ct = default)
    {
        var endpoint = await ParseGatewayAsync(gateway, ct).ConfigureAwait(false);
        var host = Host.CreateDefaultBuilder()
            .ConfigureLogging(l => l.ClearProviders())
            .UseOrleansClient(client => client
                .UseStaticClustering(endpoint)
                .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, serviceId))
                .AddMemoryStreams(ChangeStreams.DefaultProvider)
                .AddTableStoreClient())
            .Build();
        try
        {
            await host.StartAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            host.Dispose();
            throw new TableStoreException($"Cannot connect to the TableStore cluster '{clusterId}' at {gateway}: {e.Message} Is a silo of that cluster running there (dotnet run --project src/TableStore.Server)?", e);
        }
        return new TableStoreConnection(host);
    }

    /// <summary><c>host:port</c>; the host may be a name (resolved now) or an IP address.</summary>
    internal static async Task<IPEndPoint> ParseGatewayAsync(string text, CancellationToken ct)
    {
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), out var port) || port is < 1 or > 65535)
            throw new InvalidInputException($"Invalid cluster address '{text}': expected HOST:PORT, e.g. localhost:30000.");
        var host = text[..colon].Trim('[', ']');
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

    public async ValueTask DisposeAsync()
    {
        try { await _host.StopAsync().ConfigureAwait(false); }
        finally { _host.Dispose(); }
    }
}
