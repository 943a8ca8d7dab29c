using System.Net;
using System.Net.Sockets;

namespace TableStore.Deploy.Tests.Support;

internal static class Ports
{
    /// <summary>A port nothing listens on now (closed again before it is returned).</summary>
    public static int Free()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
