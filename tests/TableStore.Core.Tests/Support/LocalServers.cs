using System.Net;
using System.Net.Sockets;

namespace TableStore.Core.Tests.Support;

/// <summary>What the fixtures that start protocol servers on 127.0.0.1 share.</summary>
internal static class LocalServers
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A file of the repository (e.g. <c>infra/radosgw.sh</c>), found from the test's folder upwards; null when absent.</summary>
    public static string? FindInRepository(params string[] relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine([dir.FullName, .. relative]);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
