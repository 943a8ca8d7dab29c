using System.Net;
using System.Net.Sockets;

namespace TableStore.Deploy.Tests.Support;

internal static class Ports
{
    /// <summary>A port nothing listens on now (closed again before it is returned).</summary>
    public static int Free() => Free(1)[0];

    /// <summary><paramref name="count"/> different ports nothing listens on now: all are held open until all are chosen.</summary>
    public static int[] Free(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
