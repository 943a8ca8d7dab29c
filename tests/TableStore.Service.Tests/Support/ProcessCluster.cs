using TableStore.Tests.Shared;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TableStore.Service.Tests.Support;

/// <summary>
/// A real multi-process cluster: a redis-server for membership and silo processes (TableStore.Server) with Redis
/// clustering, all on 127.0.0.1 with free ports, sharing one warehouse folder. Everything is killed on dispose.
/// </summary>
public sealed class ProcessCluster : IAsyncDisposable
{
    private readonly List<Process> _processes = [];
    private readonly Dictionary<Process, StringBuilder> _output = [];

    public string Warehouse { get; } = Path.Combine(Path.GetTempPath(), "ts-procs-" + Guid.NewGuid().ToString("N")[..8]);
    public int RedisPort { get; private set; }
    public List<Silo> Silos { get; } = [];

    public sealed record Silo(Process Process, int SiloPort, int GatewayPort, int HttpPort)
    {
        public string Gateway => $"127.0.0.1:{GatewayPort}";
        public Uri Http => new($"http://127.0.0.1:{HttpPort}");
    }

    public async Task StartRedisAsync()
    {
        Directory.CreateDirectory(Warehouse);
        var redis = FindOnPath("redis-server") ?? throw new InvalidOperationException(
            "redis-server is not installed: the multi-process cluster test needs it run 'bash infra/redis.sh install'; bash infra/test.sh does this.");
        RedisPort = FreePort();
        var p = Start(redis, ["--port", RedisPort.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", Warehouse], null);
        await WaitForPortAsync(RedisPort, p, TimeSpan.FromSeconds(20));
    }

    /// <summary>
    /// Kafka brokers as their own process: Debian's kcat hosting librdkafka's mock cluster (3 brokers on 127.0.0.1, as
    /// infra/kafka.sh starts it), or the broker <c>KAFKA_BOOTSTRAP_SERVERS</c> names. Returns the bootstrap servers.
    /// </summary>
    public async Task<string> StartKafkaAsync()
    {
        if (Environment.GetEnvironmentVariable(KafkaMock.BrokerVariable) is { Length: > 0 } broker) return broker;
        Directory.CreateDirectory(Warehouse); // the processes' working directory
        var kcat = FindOnPath("kcat") ?? throw new InvalidOperationException(
            "kcat is not installed: the multi-process Kafka test needs it; run 'bash infra/kafka.sh install' (bash infra/test.sh does this).");
        var p = Start(kcat, ["-X", "test.mock.num.brokers=3", "-b", "x:1", "-C", "-t", "keepalive", "-o", "end", "-q"], null);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            // kcat reports the mock brokers on stderr: "... replaced with 127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3".
            var found = System.Text.RegularExpressions.Regex.Match(Output(p), @"127\.0\.0\.1:\d+(,127\.0\.0\.1:\d+)*");
            if (found.Success) return found.Value;
            if (p.HasExited) throw new InvalidOperationException($"kcat's mock Kafka cluster exited with {p.ExitCode}:\n{await OutputAfterExitAsync(p)}");
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException($"kcat's mock Kafka cluster did not start:\n{Output(p)}");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Reads a topic with kcat, a Kafka client that shares nothing with the provider but librdkafka's wire protocol:
    /// one line per message, <c>partition offset keylength valuelength</c>, from the start to the current end.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ReadTopicWithKcatAsync(string bootstrapServers, string topic)
    {
        var kcat = FindOnPath("kcat") ?? throw new InvalidOperationException("kcat is not installed; run 'bash infra/kafka.sh install'.");
        using var p = Process.Start(new ProcessStartInfo(kcat, ["-b", bootstrapServers, "-C", "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%p %o %K %S\\n"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = p.StandardOutput.ReadToEndAsync();
        var errors = p.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(deadline.Token);
        if (p.ExitCode != 0) throw new InvalidOperationException($"kcat failed ({p.ExitCode}): {await errors}");
        return (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Produces one message per line to a partition with kcat, a Kafka client of its own (not the provider's).</summary>
    public static async Task ProduceWithKcatAsync(string bootstrapServers, string topic, int partition, IEnumerable<string> lines)
    {
        var kcat = FindOnPath("kcat") ?? throw new InvalidOperationException("kcat is not installed; run 'bash infra/kafka.sh install'.");
        using var p = Process.Start(new ProcessStartInfo(kcat, ["-b", bootstrapServers, "-P", "-t", topic, "-p", partition.ToString(System.Globalization.CultureInfo.InvariantCulture), "-X", "acks=all"])
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
        })!;
        var errors = p.StandardError.ReadToEndAsync();
        foreach (var line in lines) await p.StandardInput.WriteLineAsync(line);
        p.StandardInput.Close();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(deadline.Token);
        if (p.ExitCode != 0) throw new InvalidOperationException($"kcat failed to produce ({p.ExitCode}): {await errors}");
    }

    /// <summary>Starts the CLI (<c>tablestore ARGS</c>) on this cluster's warehouse as a process of its own, e.g. to kill it.</summary>
    public Process StartCli(params string[] args) =>
        Start(BuiltPrograms.DotnetHost(), [BuiltPrograms.Cli(), .. args], new Dictionary<string, string> { ["TABLESTORE_WAREHOUSE"] = Warehouse });

    public async Task<Silo> StartSiloAsync(string commitInterval = "00:00:00.050", bool redis = true, IReadOnlyDictionary<string, string>? settings = null)
    {
        Directory.CreateDirectory(Warehouse);
        int siloPort = FreePort(), gatewayPort = FreePort(), httpPort = FreePort();
        var env = new Dictionary<string, string>
        {
            ["TableStore__Warehouse"] = Warehouse,
            ["TableStore__Clustering"] = redis ? "redis" : "localhost",
            ["TableStore__Redis"] = $"127.0.0.1:{RedisPort}",
            ["TableStore__SiloPort"] = siloPort.ToString(),
            ["TableStore__GatewayPort"] = gatewayPort.ToString(),
            ["TableStore__HttpPort"] = httpPort.ToString(),
            ["TableStore__AdvertisedAddress"] = "127.0.0.1",
            ["TableStore__CommitInterval"] = commitInterval,
        };
        if (settings is not null) foreach (var (k, v) in settings) env[k] = v;
        var p = Start(BuiltPrograms.DotnetHost(), [BuiltPrograms.Find("TableStore.Server.dll", "TableStore.Server")], env);
        var silo = new Silo(p, siloPort, gatewayPort, httpPort);
        Silos.Add(silo);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!Output(p).Contains("TableStore silo ready", StringComparison.Ordinal))
        {
            if (p.HasExited) throw new InvalidOperationException($"Silo exited with {p.ExitCode}:\n{await OutputAfterExitAsync(p)}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Silo not ready after 60 s:\n{Output(p)}");
            await Task.Delay(100);
        }
        return silo;
    }

    public string Output(Process p)
    {
        lock (_output) return _output[p].ToString();
    }

    /// <summary>
    /// The whole output of a process that has exited. HasExited turns true before the asynchronous readers have
    /// delivered the last lines; waiting for exit once more waits for both streams to reach their end.
    /// </summary>
    public async Task<string> OutputAfterExitAsync(Process p)
    {
        using var drained = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try { await p.WaitForExitAsync(drained.Token); }
        catch (OperationCanceledException) { } // a grandchild holding the pipe open: report what arrived
        return Output(p);
    }

    /// <summary>Stops a silo with SIGTERM (graceful) and returns its exit code.</summary>
    public async Task<int> StopGracefullyAsync(Silo silo)
    {
        Posix.Kill(silo.Process.Id, Posix.SIGTERM);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await silo.Process.WaitForExitAsync(timeout.Token);
        return silo.Process.ExitCode;
    }

    public void KillAbruptly(Silo silo) => silo.Process.Kill(entireProcessTree: true);

    /// <summary>
    /// The silo's status in the cluster's membership table on Redis, as the other silos recorded it (Orleans'
    /// SiloStatus: 3 active, 6 dead), or null when it has no entry.
    /// </summary>
    public async Task<int?> MembershipStatusAsync(Silo silo)
    {
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{RedisPort}");
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        foreach (var key in server.Keys(pattern: "*/members/*"))
            foreach (var entry in await redis.GetDatabase().HashGetAllAsync(key))
            {
                if (!entry.Value.HasValue || !entry.Value.ToString().StartsWith('{')) continue; // the table's version
                using var json = System.Text.Json.JsonDocument.Parse(entry.Value.ToString());
                if (json.RootElement.TryGetProperty("ProxyPort", out var port) && port.GetInt32() == silo.GatewayPort)
                    return json.RootElement.GetProperty("Status").GetInt32();
            }
        return null;
    }

    private Process Start(string file, IEnumerable<string> args, IDictionary<string, string>? env)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Warehouse,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        var p = new Process { StartInfo = psi };
        var sb = new StringBuilder();
        lock (_output) _output[p] = sb;
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) sb.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) sb.AppendLine(e.Data); };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        _processes.Add(p);
        return p;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _processes)
        {
            try { if (!p.HasExited) p.Kill(entireProcessTree: true); await p.WaitForExitAsync(); }
            catch (Exception) { }
            p.Dispose();
        }
        try { Directory.Delete(Warehouse, recursive: true); }
        catch (IOException) { }
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private async Task WaitForPortAsync(int port, Process p, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !p.HasExited)
            {
                await Task.Delay(100);
            }
            catch (SocketException)
            {
                throw new InvalidOperationException($"Port {port} did not open:\n{Output(p)}");
            }
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}

internal static partial class Posix
{
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    public const int SIGSTOP = 19;
    public const int SIGCONT = 18;

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    /// <summary>
    /// Sends SIGSTOP and waits until every thread of the process is stopped: kill() only queues the signal, and on a
    /// busy machine a thread may still answer a request before it gets to act on it.
    /// </summary>
    public static async Task StopAsync(int pid)
    {
        if (Kill(pid, SIGSTOP) != 0) throw new InvalidOperationException($"kill -STOP {pid} failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!AllThreadsStopped(pid))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Process {pid} did not stop within 30 s of SIGSTOP.");
            await Task.Delay(10);
        }
    }

    /// <summary>State 'T' (stopped) in /proc/PID/task/*/stat; the state follows the command name in parentheses.</summary>
    private static bool AllThreadsStopped(int pid)
    {
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            string stat;
            try { stat = File.ReadAllText(Path.Combine(task, "stat")); }
            catch (IOException) { continue; } // the thread ended meanwhile
            if (stat[(stat.LastIndexOf(')') + 2)] != 'T') return false;
        }
        return true;
    }
}
