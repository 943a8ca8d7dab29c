using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TableStore.Core.Tests.Support;

/// <summary>A request as the fault proxy sees it, before it decides what to do with it.</summary>
public sealed record ProxiedRequest(long Sequence, string Method, string Target, long ContentLength, bool ExpectsContinue);

/// <summary>What the proxy does to one request.</summary>
public abstract record HttpFault
{
    /// <summary>Forward the request and its reply untouched.</summary>
    public static readonly HttpFault None = new Forward();

    public sealed record Forward : HttpFault;

    /// <summary>Answer with this status and body without forwarding: the server never sees the request.</summary>
    public sealed record Reply(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null) : HttpFault;

    /// <summary>Wait, then forward.</summary>
    public sealed record Delay(TimeSpan Wait) : HttpFault;

    /// <summary>Forward the head and half of the body, then reset both connections: the server never gets a whole request.</summary>
    public sealed record DropMidUpload : HttpFault;

    /// <summary>
    /// Forward the whole request and let the server apply it, then hold the reply for <paramref name="Hold"/> (the
    /// client times out meanwhile, when its timeout is shorter) and reset the client's connection: the outcome is
    /// unknown to the client.
    /// </summary>
    public sealed record ApplyThenDrop(TimeSpan Hold = default) : HttpFault;

    /// <summary>S3's throttling reply.</summary>
    public static HttpFault S3SlowDown() => new Reply(503, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>",
        new Dictionary<string, string> { ["Content-Type"] = "application/xml" });

    /// <summary>S3's and Azure's generic server error (Azure's body is XML too).</summary>
    public static HttpFault InternalError() => new Reply(500, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message></Error>",
        new Dictionary<string, string> { ["Content-Type"] = "application/xml", ["x-ms-error-code"] = "InternalError" });

    /// <summary>Azure's throttling reply.</summary>
    public static HttpFault AzureServerBusy() => new Reply(503, "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>ServerBusy</Code><Message>The server is busy.</Message></Error>",
        new Dictionary<string, string> { ["Content-Type"] = "application/xml", ["x-ms-error-code"] = "ServerBusy" });
}

/// <summary>
/// An HTTP/1.1 proxy on 127.0.0.1 in front of a storage server (Azurite, radosgw) that injects faults per request:
/// error replies, throttling, latency, connections reset mid-upload, and replies lost after the server applied a
/// request. Each client connection carries one request, forwarded on its own upstream connection with
/// <c>Connection: close</c>, so the bytes can be pumped through untouched (signatures stay valid) and a request's
/// end is the upstream's end.
/// </summary>
public sealed class HttpFaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _upstream;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private long _sequence;
    private readonly Dictionary<string, int> _injected = [];

    public HttpFaultProxy(Uri upstream)
    {
        _upstream = new IPEndPoint(IPAddress.Parse(upstream.Host == "localhost" ? "127.0.0.1" : upstream.Host), upstream.Port);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Decides each request's fault; requests arrive concurrently, so it must be thread-safe.</summary>
    public Func<ProxiedRequest, HttpFault> Policy { get; set; } = _ => HttpFault.None;

    /// <summary>How many faults of each kind were injected so far.</summary>
    public IReadOnlyDictionary<string, int> Injected
    {
        get { lock (_injected) return new Dictionary<string, int>(_injected); }
    }

    /// <summary>The upstream URL with the proxy's port (same host, same path).</summary>
    public string Rewrite(string url)
    {
        var b = new UriBuilder(url) { Port = Port };
        return b.Uri.ToString().TrimEnd('/');
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            _ = Task.Run(() => HandleAsync(client));
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        using var _ = client;
        client.NoDelay = true;
        var clientStream = client.GetStream();
        try
        {
            var (head, rest) = await ReadHeadAsync(clientStream);
            if (head is null) return;
            var request = Parse(head, Interlocked.Increment(ref _sequence));
            var fault = Policy(request);
            if (fault is not HttpFault.Forward) Count(fault.GetType().Name);
            switch (fault)
            {
                case HttpFault.Reply reply:
                    // Take the body first (unless the client waits for 100 Continue), so the client reads the reply
                    // instead of a reset.
                    if (!request.ExpectsContinue) await DrainAsync(clientStream, request.ContentLength - rest.Length);
                    await WriteReplyAsync(clientStream, reply);
                    return;
                case HttpFault.Delay delay:
                    await Task.Delay(delay.Wait);
                    break;
            }
            using var upstream = new TcpClient { NoDelay = true };
            await upstream.ConnectAsync(_upstream);
            var upstreamStream = upstream.GetStream();
            await upstreamStream.WriteAsync(WithConnectionClose(head));
            long bodyLimit = fault is HttpFault.DropMidUpload ? Math.Max(1, request.ContentLength / 2) : long.MaxValue;
            var up = PumpAsync(clientStream, upstreamStream, rest, bodyLimit);
            if (fault is HttpFault.DropMidUpload)
            {
                await up;
                Reset(upstream);
                Reset(client);
                return;
            }
            if (fault is HttpFault.ApplyThenDrop)
            {
                // Relay interim replies (100 Continue) so the client sends its body; swallow the final reply.
                await RelayInterimThenDrainAsync(upstreamStream, clientStream);
                if (fault is HttpFault.ApplyThenDrop { Hold: var hold } && hold > TimeSpan.Zero) await Task.Delay(hold);
                Reset(client);
                return;
            }
            await upstreamStream.CopyToAsync(clientStream);
        }
        catch (Exception)
        {
            // A client or server that went away: nothing to tell anyone.
        }
    }

    private void Count(string kind)
    {
        lock (_injected) _injected[kind] = _injected.GetValueOrDefault(kind) + 1;
    }

    private static async Task PumpAsync(NetworkStream from, NetworkStream to, byte[] already, long limit)
    {
        long sent = 0;
        if (already.Length > 0)
        {
            int n = (int)Math.Min(already.Length, limit);
            await to.WriteAsync(already.AsMemory(0, n));
            sent += n;
        }
        var buffer = new byte[64 * 1024];
        while (sent < limit)
        {
            int read;
            try { read = await from.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, limit - sent))); }
            catch (IOException) { return; }
            if (read == 0) return;
            await to.WriteAsync(buffer.AsMemory(0, read));
            sent += read;
        }
    }

    private static async Task DrainAsync(NetworkStream stream, long bytes)
    {
        var sink = new byte[64 * 1024];
        while (bytes > 0)
        {
            int read = await stream.ReadAsync(sink.AsMemory(0, (int)Math.Min(sink.Length, bytes)));
            if (read == 0) return;
            bytes -= read;
        }
    }

    private static async Task RelayInterimThenDrainAsync(NetworkStream upstream, NetworkStream client)
    {
        while (true)
        {
            var (head, rest) = await ReadHeadAsync(upstream);
            if (head is null) return;
            if (!Encoding.ASCII.GetString(head).StartsWith("HTTP/1.1 1", StringComparison.Ordinal))
            {
                var sink = new byte[64 * 1024];
                while (await upstream.ReadAsync(sink) > 0) { }
                return;
            }
            await client.WriteAsync(head);
            if (rest.Length > 0) throw new InvalidOperationException("bytes after an interim reply");
        }
    }

    private static void Reset(TcpClient c)
    {
        try
        {
            c.LingerState = new LingerOption(true, 0);
            c.Client.Close();
        }
        catch (Exception) { }
    }

    /// <summary>Reads up to and including the blank line that ends a head; returns the head and any bytes read past it.</summary>
    private static async Task<(byte[]? Head, byte[] Extra)> ReadHeadAsync(NetworkStream stream)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        while (true)
        {
            int read = await stream.ReadAsync(chunk);
            if (read == 0) return (null, []);
            buffer.Write(chunk, 0, read);
            var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
            int end = bytes.IndexOf("\r\n\r\n"u8);
            if (end >= 0) return (bytes[..(end + 4)].ToArray(), bytes[(end + 4)..].ToArray());
        }
    }

    private static ProxiedRequest Parse(byte[] head, long sequence)
    {
        var lines = Encoding.ASCII.GetString(head).Split("\r\n");
        var first = lines[0].Split(' ');
        long length = 0;
        bool expects = false;
        foreach (var line in lines.Skip(1))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                length = long.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            expects |= line.StartsWith("Expect:", StringComparison.OrdinalIgnoreCase) && line.Contains("100-continue", StringComparison.OrdinalIgnoreCase);
        }
        return new ProxiedRequest(sequence, first[0], Uri.UnescapeDataString(first[1]), length, expects);
    }

    private static byte[] WithConnectionClose(byte[] head)
    {
        var lines = Encoding.ASCII.GetString(head).Split("\r\n").Where(l => !l.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase)).ToList();
        lines.Insert(lines.Count - 2, "Connection: close");
        return Encoding.ASCII.GetBytes(string.Join("\r\n", lines));
    }

    private static async Task WriteReplyAsync(NetworkStream stream, HttpFault.Reply reply)
    {
        var body = Encoding.UTF8.GetBytes(reply.Body);
        var head = new StringBuilder($"HTTP/1.1 {reply.Status} {(HttpStatusCode)reply.Status}\r\n");
        foreach (var (k, v) in reply.Headers ?? new Dictionary<string, string>()) head.Append(k).Append(": ").Append(v).Append("\r\n");
        head.Append("Content-Length: ").Append(body.Length).Append("\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        await stream.WriteAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try { await _accepting; }
        catch (Exception) { }
        _stop.Dispose();
    }
}
