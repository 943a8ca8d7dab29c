using TableStore.Core.Tests.Support;
using TableStore.Service.Tests.Support;
using TableStore.Cli;

namespace TableStore.Service.Tests;

/// <summary>
/// A `tablestore --cluster` command that cannot reach a usable silo ends within its connect deadline and says why:
/// nothing listening, a silo of another cluster, a silo that does not answer (paused). The silos are processes.
/// </summary>
public sealed class ClusterConnectTests
{
    private static readonly Dictionary<string, string?> FiveSeconds = new() { ["TABLESTORE_CONNECT_TIMEOUT"] = "5s", ["TABLESTORE_CLUSTER_ID"] = null };

    [Fact]
    public async Task A_port_nobody_listens_on_is_reported_as_such()
    {
        var (code, _, stderr) = await Cli(["table", "list", "--cluster", $"127.0.0.1:{LocalServers.FreePort()}"], FiveSeconds);
        Assert.Equal(1, code);
        Assert.True(stderr.Contains("Nothing listens at 127.0.0.1:", StringComparison.Ordinal), stderr);
    }

    [Fact]
    public async Task A_silo_of_another_cluster_is_named_as_the_likely_cause_with_the_cluster_id_asked_for()
    {
        await using var cluster = new ProcessCluster();
        var silo = await cluster.StartSiloAsync(redis: false, settings: new Dictionary<string, string> { ["TableStore__ClusterId"] = "other" });
        var (code, _, stderr) = await Cli(["table", "list", "--cluster", silo.Gateway], new Dictionary<string, string?> { ["TABLESTORE_CONNECT_TIMEOUT"] = "15s" });
        Assert.Equal(1, code);
        Assert.True(stderr.Contains("most likely a silo of another cluster (this client asked for cluster 'tablestore'", StringComparison.Ordinal), stderr);
        Assert.Contains("$TABLESTORE_CLUSTER_ID", stderr);

        var right = await Cli(["table", "list", "--cluster", silo.Gateway], new Dictionary<string, string?> { ["TABLESTORE_CONNECT_TIMEOUT"] = "60s", ["TABLESTORE_CLUSTER_ID"] = "other" });
        Assert.Equal(0, right.ExitCode);
    }

    [Fact]
    public async Task A_paused_silo_is_reported_as_not_answering_and_serves_again_once_resumed()
    {
        await using var cluster = new ProcessCluster();
        var silo = await cluster.StartSiloAsync(redis: false);
        Assert.Equal(0, Posix.Kill(silo.Process.Id, Posix.SIGSTOP));
        try
        {
            var (code, _, stderr) = await Cli(["table", "list", "--cluster", silo.Gateway], FiveSeconds);
            Assert.Equal(1, code);
            Assert.True(stderr.Contains("accepted connections but did not answer the Orleans handshake: the silo may be paused", StringComparison.Ordinal), stderr);
        }
        finally
        {
            Posix.Kill(silo.Process.Id, Posix.SIGCONT);
        }
        // Generous for the call that must succeed: the silo just resumed, on a machine that may be busy.
        var after = await Cli(["table", "list", "--cluster", silo.Gateway], new Dictionary<string, string?> { ["TABLESTORE_CONNECT_TIMEOUT"] = "60s" });
        Assert.Equal(0, after.ExitCode);
    }

    /// <summary>The CLI in this process, with a 2-minute limit: a hang fails the test instead of stalling it.</summary>
    private static async Task<(int ExitCode, string Stdout, string Stderr)> Cli(string[] args, IDictionary<string, string?> env)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await CliApp.RunAsync(args, new StringReader(""), stdout, stderr, env).WaitAsync(TimeSpan.FromMinutes(2));
        return (code, stdout.ToString(), stderr.ToString());
    }
}
