using System.Net.Sockets;
using TableStore.Deploy.Tests.Support;

namespace TableStore.Deploy.Tests;

/// <summary>
/// infra/: each script starts its server on 127.0.0.1, prints how to reach it on its last line, and stops it again.
/// Redis and the Kafka mock cluster here; Azurite and radosgw are started through the same scripts by the store tests.
/// </summary>
public sealed class InfraScriptsTests
{
    [Fact]
    public async Task Redis_starts_answers_a_ping_at_the_address_it_prints_and_stops()
    {
        var dir = Directory.CreateTempSubdirectory("infra-redis-").FullName;
        int port = Ports.Free();
        var address = await StartAsync("redis.sh", dir, port.ToString());
        try
        {
            Assert.Equal($"127.0.0.1:{port}", address);
            using var client = new TcpClient("127.0.0.1", port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            int n = await stream.ReadAsync(buffer);
            Assert.Equal("+PONG\r\n", System.Text.Encoding.ASCII.GetString(buffer, 0, n));
        }
        finally
        {
            await StopAsync("redis.sh", dir);
        }
        Assert.False(Listens(port), "redis-server still listens after stop");
    }

    [Fact]
    public async Task The_kafka_mock_cluster_starts_serves_metadata_for_its_three_brokers_and_stops()
    {
        var dir = Directory.CreateTempSubdirectory("infra-kafka-").FullName;
        var bootstrap = await StartAsync("kafka.sh", dir);
        var brokers = bootstrap.Split(',');
        try
        {
            Assert.Equal(3, brokers.Length);
            Assert.All(brokers, b => Assert.Matches(@"^127\.0\.0\.1:\d+$", b));
            // A Kafka client (kcat) lists the cluster's brokers over the wire protocol.
            var (code, stdout, stderr) = await ProcessRunner.RunAsync("kcat", ["-b", bootstrap, "-L", "-m", "10"], dir, TimeSpan.FromSeconds(30));
            Assert.True(code == 0, stderr);
            Assert.Contains("3 brokers", stdout);
        }
        finally
        {
            await StopAsync("kafka.sh", dir);
        }
        Assert.All(brokers, b => Assert.False(Listens(int.Parse(b.Split(':')[1])), $"{b} still listens after stop"));
    }

    private static async Task<string> StartAsync(string script, params string[] args)
    {
        var (code, stdout, stderr) = await ProcessRunner.RunAsync("bash", [Repository.PathOf($"infra/{script}"), "start", .. args], Repository.Root, TimeSpan.FromMinutes(2));
        Assert.True(code == 0, $"infra/{script} start failed ({code}): {stderr} (is it installed? bash infra/{script} install)");
        Assert.Contains("ready", stderr); // what a person reads: how to reach it, how to stop it
        Assert.Contains("stop with", stderr);
        return stdout.Trim().Split('\n')[^1];
    }

    private static async Task StopAsync(string script, string dir)
    {
        var (code, _, stderr) = await ProcessRunner.RunAsync("bash", [Repository.PathOf($"infra/{script}"), "stop", dir], Repository.Root, TimeSpan.FromMinutes(1));
        Assert.True(code == 0, stderr);
        Directory.Delete(dir, recursive: true);
    }

    private static bool Listens(int port)
    {
        try
        {
            using var c = new TcpClient("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

}
