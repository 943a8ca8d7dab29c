using System.Net;
using System.Net.Sockets;
using System.Text;
using TableStore.Cli;
using TableStore.Service.Tests.Support;

namespace TableStore.Service.Tests;

/// <summary>
/// The silo's HTTP side as a container platform and an operator use it, on a real silo process: the health
/// endpoints the probes call, the metrics it pushes over OTLP, the optional Orleans Dashboard.
/// </summary>
public sealed class SiloHttpEndpointsTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task A_clustered_silo_is_live_and_ready_pushes_its_metrics_over_otlp_and_serves_the_dashboard()
    {
        await using var collector = new OtlpCollector();
        await using var cluster = new ProcessCluster();
        await cluster.StartRedisAsync();
        var silo = await cluster.StartSiloAsync(settings: new Dictionary<string, string>
        {
            ["TableStore__Dashboard"] = "true",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        });

        var live = await Http.GetAsync(new Uri(silo.Http, "/health/live"));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        var ready = await EventuallyAsync(() => Http.GetAsync(new Uri(silo.Http, "/health/ready")), r => r.StatusCode == HttpStatusCode.OK);
        var body = await ready.Content.ReadAsStringAsync();
        Assert.Contains("\"cluster\":{\"status\":\"Healthy\"", body);
        Assert.Contains("\"warehouse\":{\"status\":\"Healthy\"", body);

        Assert.Equal(0, (await Cli(silo, null, "table", "create", "shop.orders", "--schema", "id BIGINT, note STRING", "--primary-key", "id", "--buckets", "2")).Code);
        Assert.Equal(0, (await Cli(silo, "id,note\n1,a\n2,b\n", "write", "shop.orders")).Code);
        // Metric names travel as plain UTF-8 inside the protobuf export requests.
        string[] expected = ["tablestore.commits", "tablestore.commit.duration", "tablestore.rows.written", "tablestore.service.writes", "tablestore.service.compaction.backlog"];
        await EventuallyAsync(() => Task.FromResult(collector.Received), received => expected.All(received.Contains));
        Assert.Contains("/v1/metrics", collector.Paths);

        var dashboard = await Http.GetAsync(new Uri(silo.Http, "/dashboard/"));
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("<html", await dashboard.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_silo_whose_warehouse_cannot_be_reached_is_live_but_not_ready_and_says_why()
    {
        await using var cluster = new ProcessCluster();
        int closed = ClosedPort();
        var silo = await cluster.StartSiloAsync(redis: false, settings: new Dictionary<string, string>
        {
            ["TableStore__Warehouse"] = "s3://lake/wh",
            ["AWS_ENDPOINT_URL_S3"] = $"http://127.0.0.1:{closed}",
            ["AWS_ACCESS_KEY_ID"] = "k",
            ["AWS_SECRET_ACCESS_KEY"] = "s",
            ["AWS_REGION"] = "us-east-1",
            ["TableStore__ObjectStore__MaxRetries"] = "0",
            ["TableStore__ReadyTimeout"] = "00:00:02",
        });

        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(new Uri(silo.Http, "/health/live"))).StatusCode);
        var ready = await Http.GetAsync(new Uri(silo.Http, "/health/ready"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var body = await ready.Content.ReadAsStringAsync();
        Assert.Contains("\"warehouse\":{\"status\":\"Unhealthy\"", body);
        Assert.Contains("s3://lake/wh", body);
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(60); ; await Task.Delay(200))
        {
            var value = await probe();
            if (done(value) || DateTime.UtcNow > deadline) return done(value) ? value : throw new TimeoutException($"still not there after 60 s: {value}");
        }
    }

    private static int ClosedPort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port; // closed again once disposed
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Cli(ProcessCluster.Silo gateway, string? stdin, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await CliApp.RunAsync([.. args, "--cluster", gateway.Gateway], new StringReader(stdin ?? ""), stdout, stderr, new Dictionary<string, string?>());
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>An OTLP/HTTP receiver that keeps what it was sent (as Latin-1 text, so names can be searched).</summary>
    private sealed class OtlpCollector : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly StringBuilder _received = new();
        private readonly List<string> _paths = [];
        private readonly Task _loop;

        public OtlpCollector()
        {
            _listener.Start();
            _loop = AcceptAsync();
        }

        public string Endpoint => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

        public string Received { get { lock (_received) return _received.ToString(); } }

        public List<string> Paths { get { lock (_received) return [.. _paths]; } }

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    _ = ServeAsync(client);
                }
            }
            catch (OperationCanceledException) { }
        }

        // HTTP/1.1 with Content-Length bodies, as the OTLP exporter sends them; each request gets an empty 200.
        private async Task ServeAsync(TcpClient client)
        {
            using var _ = client;
            var stream = client.GetStream();
            var buffer = new List<byte>();
            var chunk = new byte[65536];
            try
            {
                while (true)
                {
                    int headerEnd;
                    while ((headerEnd = IndexOf(buffer, "\r\n\r\n"u8.ToArray())) < 0)
                    {
                        int n = await stream.ReadAsync(chunk, _stop.Token);
                        if (n == 0) return;
                        buffer.AddRange(chunk.AsSpan(0, n).ToArray());
                    }
                    var headers = Encoding.Latin1.GetString(buffer.GetRange(0, headerEnd).ToArray());
                    var length = headers.Split("\r\n").Select(h => h.Split(':', 2)).Where(h => h.Length == 2 && h[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                        .Select(h => int.Parse(h[1].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
                    while (buffer.Count < headerEnd + 4 + length)
                    {
                        int n = await stream.ReadAsync(chunk, _stop.Token);
                        if (n == 0) return;
                        buffer.AddRange(chunk.AsSpan(0, n).ToArray());
                    }
                    lock (_received)
                    {
                        _paths.Add(headers.Split(' ')[1]);
                        _received.Append(Encoding.Latin1.GetString(buffer.GetRange(headerEnd + 4, length).ToArray()));
                    }
                    buffer.RemoveRange(0, headerEnd + 4 + length);
                    await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), _stop.Token);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException) { }
        }

        private static int IndexOf(List<byte> data, byte[] pattern)
        {
            for (int i = 0; i + pattern.Length <= data.Count; i++)
            {
                int j = 0;
                while (j < pattern.Length && data[i + j] == pattern[j]) j++;
                if (j == pattern.Length) return i;
            }
            return -1;
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            _listener.Stop();
            await _loop;
        }
    }
}
