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
        await WhilePausedAsync(silo, async () =>
        {
            var (code, _, stderr) = await Cli(["table", "list", "--cluster", silo.Gateway], FiveSeconds);
            Assert.Equal(1, code);
            Assert.True(stderr.Contains("accepted connections but did not answer the Orleans handshake: the silo may be paused", StringComparison.Ordinal), stderr);
        });
        // Generous for the call that must succeed: the silo just resumed, on a machine that may be busy.
        var after = await Cli(["table", "list", "--cluster", silo.Gateway], new Dictionary<string, string?> { ["TABLESTORE_CONNECT_TIMEOUT"] = "60s" });
        Assert.Equal(0, after.ExitCode);
    }

    [Fact]
    public async Task A_write_to_a_silo_that_stops_answering_ends_at_its_deadline_as_unknown_and_a_retry_with_its_id_settles_it()
    {
        await using var cluster = new ProcessCluster();
        var silo = await cluster.StartSiloAsync(redis: false);
        await using var connection = await TableStore.Client.TableStoreConnection.ConnectAsync(silo.Gateway, "tablestore", "tablestore",
            TimeSpan.FromSeconds(60), o => o.WriteTimeout = TimeSpan.FromSeconds(5));
        var client = connection.Client;
        await client.CreateTableAsync("t.paused", new TableStore.Abstractions.TableSpec([new("id", "BIGINT"), new("v", "INT")], ["id"], [], 2, new Dictionary<string, string>()));
        var rows = new List<TableStore.Core.Data.ChangeRow> { new(TableStore.Core.Data.RowKind.Insert, [1L, 1]) };
        // A first write while the silo answers, through a client without the short deadline (activating the grains and
        // compiling their code may take longer than 5 s on a busy machine); the short-deadline client reads the
        // table's schema, so its next write is sent at once.
        await using (var warmUp = await TableStore.Client.TableStoreConnection.ConnectAsync(silo.Gateway, "tablestore", "tablestore", TimeSpan.FromSeconds(60)))
            await warmUp.Client.WriteAsync("t.paused", [new(TableStore.Core.Data.RowKind.Insert, [2L, 2])], "paused-0");
        await client.GetSchemaAsync("t.paused");

        TableStore.Core.WriteOutcomeUnknownException unknown = null!;
        await WhilePausedAsync(silo, async () => unknown = await Assert.ThrowsAsync<TableStore.Core.WriteOutcomeUnknownException>(() =>
            client.WriteAsync("t.paused", rows.Select(r => r with { Values = (object?[])r.Values.Clone() }).ToList(), "paused-1").WaitAsync(TimeSpan.FromMinutes(2))));
        Assert.True(unknown.IsRetryable);
        Assert.Contains("got no answer within 5 s", unknown.Message);
        Assert.Contains("may or may not have been committed", unknown.Message);

        // The silo is back: the same write id either commits now or is recognised as committed, never twice.
        await using var patient = await TableStore.Client.TableStoreConnection.ConnectAsync(silo.Gateway, "tablestore", "tablestore", TimeSpan.FromSeconds(60));
        var settled = await patient.Client.WriteAsync("t.paused", rows, "paused-1");
        Assert.NotNull(settled.SnapshotId);
        var scan = await patient.Client.ScanAsync("t.paused", new TableStore.Abstractions.ScanRequest());
        int count = 0;
        await foreach (var _ in scan.Rows) count++;
        Assert.Equal(2, count);

        // Before anything is sent, running out of time is "not written", not "unknown".
        await using var fresh = await TableStore.Client.TableStoreConnection.ConnectAsync(silo.Gateway, "tablestore", "tablestore",
            TimeSpan.FromSeconds(60), o => o.WriteTimeout = TimeSpan.FromSeconds(5));
        await WhilePausedAsync(silo, async () =>
        {
            var notSent = await Assert.ThrowsAsync<TableStore.Core.WriteNotCommittedException>(() =>
                fresh.Client.WriteAsync("t.paused", [new(TableStore.Core.Data.RowKind.Insert, [3L, 3])], "paused-2").WaitAsync(TimeSpan.FromMinutes(2)));
            Assert.Contains("was not sent", notSent.Message);
        });
    }

    [Fact]
    public async Task Reads_scan_pages_and_a_subscription_start_from_a_silo_that_stops_answering_end_at_their_deadline_and_say_so()
    {
        await using var cluster = new ProcessCluster();
        var silo = await cluster.StartSiloAsync(redis: false);
        await using var connection = await TableStore.Client.TableStoreConnection.ConnectAsync(silo.Gateway, "tablestore", "tablestore",
            TimeSpan.FromSeconds(60), o => o.CallTimeout = TimeSpan.FromSeconds(5));
        var client = connection.Client;
        await client.CreateTableAsync("t.reads", new TableStore.Abstractions.TableSpec([new("id", "BIGINT"), new("v", "INT")], ["id"], [], 1, new Dictionary<string, string>()));
        await client.WriteAsync("t.reads", [.. Enumerable.Range(0, 5000).Select(i => new TableStore.Core.Data.ChangeRow(TableStore.Core.Data.RowKind.Insert, [(long)i, i]))]);

        var scan = await client.ScanAsync("t.reads", new TableStore.Abstractions.ScanRequest());
        await using var rows = scan.Rows.GetAsyncEnumerator();
        Assert.True(await rows.MoveNextAsync()); // the first page is here; the rest come on demand
        await WhilePausedAsync(silo, async () =>
        {
            var e = await Assert.ThrowsAsync<TableStore.Core.TableStoreException>(async () =>
            {
                while (await rows.MoveNextAsync()) { }
            }).WaitAsync(TimeSpan.FromMinutes(2));
            Assert.Contains("did not answer within 5 s when asked to send the next rows of the scan of t.reads", e.Message);
            Assert.True(e.IsRetryable);

            var listing = await Assert.ThrowsAsync<TableStore.Core.TableStoreException>(() => client.ListSnapshotsAsync("t.reads").WaitAsync(TimeSpan.FromMinutes(2)));
            Assert.Contains("did not answer within 5 s when asked to list the snapshots of t.reads", listing.Message);

            var subscribe = await Assert.ThrowsAsync<TableStore.Core.TableStoreException>(() => client.SubscribeAsync("t.reads", _ => Task.CompletedTask,
                new TableStore.Client.SubscriptionOptions { Start = "earliest" }).WaitAsync(TimeSpan.FromMinutes(2)));
            Assert.Contains("did not answer within 5 s when asked where a subscription to t.reads starts", subscribe.Message);
            Assert.True(subscribe.IsRetryable);
        });
        Assert.NotEmpty(await client.ListSnapshotsAsync("t.reads"));
    }

    /// <summary>Runs <paramref name="action"/> while the silo process is stopped (SIGSTOP), and resumes it whatever happens.</summary>
    private static async Task WhilePausedAsync(ProcessCluster.Silo silo, Func<Task> action)
    {
        await Posix.StopAsync(silo.Process.Id);
        try { await action(); }
        finally { Posix.Kill(silo.Process.Id, Posix.SIGCONT); }
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
