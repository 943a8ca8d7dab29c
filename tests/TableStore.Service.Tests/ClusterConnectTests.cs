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

        // Several gateways, none listening: the same answer, naming them all.
        var many = $"127.0.0.1:{LocalServers.FreePort()},127.0.0.1:{LocalServers.FreePort()}";
        var (manyCode, _, manyErr) = await Cli(["table", "list", "--cluster", many], FiveSeconds);
        Assert.Equal(1, manyCode);
        Assert.True(manyErr.Contains($"Nothing listens at {many}", StringComparison.Ordinal), manyErr);
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
        // A list of gateways of which one is down: the client uses the one that answers.
        var listed = await Cli(["table", "list", "--cluster", $"127.0.0.1:{LocalServers.FreePort()}, {silo.Gateway}"], new Dictionary<string, string?> { ["TABLESTORE_CONNECT_TIMEOUT"] = "60s" });
        Assert.True(listed.ExitCode == 0, listed.ToString());
    }

    [Fact]
    public async Task A_write_to_a_silo_that_stops_answering_ends_at_its_deadline_as_unknown_and_a_retry_with_its_id_settles_it()
    {
        await using var cluster = new ProcessCluster();
        var silo = await cluster.StartSiloAsync(redis: false);
        await using var connection = await TableStore.Client.TableStoreClient.ConnectAsync(silo.Gateway, "tablestore", "tablestore",
            TimeSpan.FromSeconds(60), o => o.WriteTimeout = TimeSpan.FromSeconds(5));
        var client = connection;
        await client.CreateTableAsync("t.paused", Specs.Table("id BIGINT, v INT", ["id"], [], 2));
        var rows = new List<TableStore.Core.Data.ChangeRow> { new(TableStore.Core.Data.RowKind.Insert, [1L, 1]) };
        // A first write while the silo answers, through a client without the short deadline (activating the grains and
        // compiling their code may take longer than 5 s on a busy machine); the short-deadline client reads the
        // table's schema, so its next write is sent at once.
        await using (var warmUp = await TableStore.Client.TableStoreClient.ConnectAsync(silo.Gateway, "tablestore", "tablestore", TimeSpan.FromSeconds(60)))
            await warmUp.WriteAsync("t.paused", [new(TableStore.Core.Data.RowKind.Insert, [2L, 2])], new WriteIdentity("paused", 0));
        await client.GetSchemaAsync("t.paused");

        TableStore.Core.WriteOutcomeUnknownException unknown = null!;
        await WhilePausedAsync(silo, async () => unknown = await Assert.ThrowsAsync<TableStore.Core.WriteOutcomeUnknownException>(() =>
            client.WriteAsync("t.paused", rows.Select(r => r with { Values = (object?[])r.Values.Clone() }).ToList(), new WriteIdentity("paused", 1)).WaitAsync(TimeSpan.FromMinutes(2))));
        Assert.True(unknown.IsRetryable);
        Assert.Contains("got no answer within 5 s", unknown.Message);
        Assert.Contains("may or may not have been committed", unknown.Message);

        // The silo is back: the same write id either commits now or is recognised as committed, never twice.
        await using var patient = await TableStore.Client.TableStoreClient.ConnectAsync(silo.Gateway, "tablestore", "tablestore", TimeSpan.FromSeconds(60));
        var settled = await patient.WriteAsync("t.paused", rows, new WriteIdentity("paused", 1));
        Assert.NotNull(settled);
        var scan = await patient.ScanAsync("t.paused", new ScanOptions());
        int count = 0;
        await foreach (var _ in scan.Rows) count++;
        Assert.Equal(2, count);

        // Before anything is sent, running out of time is "not written", not "unknown".
        await using var fresh = await TableStore.Client.TableStoreClient.ConnectAsync(silo.Gateway, "tablestore", "tablestore",
            TimeSpan.FromSeconds(60), o => o.WriteTimeout = TimeSpan.FromSeconds(5));
        await WhilePausedAsync(silo, async () =>
        {
            var notSent = await Assert.ThrowsAsync<TableStore.Core.WriteNotCommittedException>(() =>
                fresh.WriteAsync("t.paused", [new(TableStore.Core.Data.RowKind.Insert, [3L, 3])], new WriteIdentity("paused", 2)).WaitAsync(TimeSpan.FromMinutes(2)));
            Assert.Contains("was not sent", notSent.Message);
        });
    }

    [Fact]
    public async Task Reads_scan_pages_and_a_subscription_start_from_a_silo_that_stops_answering_end_at_their_deadline_and_say_so()
    {
        await using var cluster = new ProcessCluster();
        var silo = await cluster.StartSiloAsync(redis: false);
        await using var connection = await TableStore.Client.TableStoreClient.ConnectAsync(silo.Gateway, "tablestore", "tablestore",
            TimeSpan.FromSeconds(60), o => o.CallTimeout = TimeSpan.FromSeconds(5));
        var client = connection;
        await client.CreateTableAsync("t.reads", Specs.Table("id BIGINT, v INT", ["id"], [], 1));
        await client.WriteAsync("t.reads", [.. Enumerable.Range(0, 5000).Select(i => new TableStore.Core.Data.ChangeRow(TableStore.Core.Data.RowKind.Insert, [(long)i, i]))]);

        var scan = await client.ScanAsync("t.reads", new ScanOptions());
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

    [Fact]
    public async Task A_cli_write_scan_and_stream_whose_silo_stops_answering_midway_end_within_their_deadlines_and_say_what_happened()
    {
        await using var cluster = new ProcessCluster();
        var silo = await cluster.StartSiloAsync(redis: false);
        var env = new Dictionary<string, string?>
        {
            ["TABLESTORE_CONNECT_TIMEOUT"] = "60s", ["TABLESTORE_CLUSTER_ID"] = null,
            ["TABLESTORE_WRITE_TIMEOUT"] = "5s", ["TABLESTORE_CALL_TIMEOUT"] = "3s",
        };
        string[] Cluster(params string[] args) => [.. args, "--cluster", silo.Gateway];
        Assert.Equal(0, (await Cli(Cluster("table", "create", "t.midway", "--schema", "id BIGINT NOT NULL, v STRING", "--primary-key", "id"), env)).ExitCode);
        var rows = string.Join("\n", Enumerable.Range(0, 5000).Select(i => $"{i},value {i}"));
        Assert.Equal(0, (await Cli(Cluster("write", "t.midway", "--format", "csv"), env, stdin: new StringReader("id,v\n" + rows))).ExitCode);

        // A write: the silo stops while the CLI reads its input, so the rows go to a silo that does not answer.
        var paused = false;
        var input = new CallbackReader("id,v\n1,a\n2,b\n3,c\n", line: 2, () => { Posix.StopAsync(silo.Process.Id).GetAwaiter().GetResult(); paused = true; });
        try
        {
            var write = await Cli(Cluster("write", "t.midway", "--format", "csv"), env, stdin: input);
            Assert.True(paused);
            Assert.Equal(1, write.ExitCode);
            Assert.True(write.Stderr.Contains("got no answer within 5 s", StringComparison.Ordinal), write.Stderr);
            Assert.True(write.Stderr.Contains("may or may not have been committed", StringComparison.Ordinal), write.Stderr);
            Assert.True(write.Stderr.Contains("--commit-user", StringComparison.Ordinal), write.Stderr); // how to make a rerun safe
        }
        finally { Posix.Kill(silo.Process.Id, Posix.SIGCONT); }

        // A scan: the silo stops once the first rows are printed.
        var scanOut = new CallbackWriter(() => Posix.StopAsync(silo.Process.Id).GetAwaiter().GetResult());
        try
        {
            var scan = await Cli(Cluster("scan", "t.midway", "--format", "csv"), env, stdout: scanOut);
            Assert.Equal(1, scan.ExitCode);
            Assert.True(scan.Stderr.Contains("did not answer within 3 s when asked to send the next rows of the scan of t.midway", StringComparison.Ordinal), scan.Stderr);
        }
        finally { Posix.Kill(silo.Process.Id, Posix.SIGCONT); }

        // A stream: the silo stops once the first snapshot is printed; the stream ends at its idle timeout and says why.
        var streamOut = new CallbackWriter(() => Posix.StopAsync(silo.Process.Id).GetAwaiter().GetResult());
        try
        {
            var stream = await Cli(Cluster("stream", "t.midway", "--from", "earliest", "--timeout", "10"), env, stdout: streamOut);
            Assert.Equal(1, stream.ExitCode);
            Assert.True(stream.Stderr.Contains("The cluster stopped answering while t.midway was followed", StringComparison.Ordinal), stream.Stderr);
            Assert.Contains("\"_op\"", streamOut.ToString()); // what came before the pause was printed
        }
        finally { Posix.Kill(silo.Process.Id, Posix.SIGCONT); }
    }

    /// <summary>A reader that runs <paramref name="callback"/> once, when line <paramref name="line"/> (from 1) is read.</summary>
    private sealed class CallbackReader(string text, int line, Action callback) : TextReader
    {
        private readonly StringReader _inner = new(text);
        private int _lines;

        public override int Peek() => _inner.Peek();

        public override int Read()
        {
            var c = _inner.Read();
            if (c == '\n' && ++_lines == line) callback();
            return c;
        }

        public override int Read(char[] buffer, int index, int count)
        {
            // One character at a time, so the callback runs exactly when that line has been handed over.
            if (count == 0) return 0;
            var c = Read();
            if (c < 0) return 0;
            buffer[index] = (char)c;
            return 1;
        }
    }

    /// <summary>Standard output that runs <paramref name="callback"/> once, after the first line is written.</summary>
    private sealed class CallbackWriter(Action callback) : StringWriter
    {
        private int _done;

        public override void Write(char value)
        {
            base.Write(value);
            if (value == '\n' && Interlocked.Exchange(ref _done, 1) == 0) callback();
        }

        public override void Write(string? value)
        {
            base.Write(value);
            if (value is not null && value.Contains('\n') && Interlocked.Exchange(ref _done, 1) == 0) callback();
        }

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));
    }

    /// <summary>Runs <paramref name="action"/> while the silo process is stopped (SIGSTOP), and resumes it whatever happens.</summary>
    private static async Task WhilePausedAsync(ProcessCluster.Silo silo, Func<Task> action)
    {
        await Posix.StopAsync(silo.Process.Id);
        try { await action(); }
        finally { Posix.Kill(silo.Process.Id, Posix.SIGCONT); }
    }

    /// <summary>The CLI in this process, with a 2-minute limit: a hang fails the test instead of stalling it.</summary>
    [Fact]
    public async Task Sql_through_the_cluster_runs_on_a_silo_and_prints_what_sql_next_to_the_warehouse_prints()
    {
        await using var cluster = new ProcessCluster();
        var silo = await cluster.StartSiloAsync(redis: false);
        var env = new Dictionary<string, string?> { ["TABLESTORE_CONNECT_TIMEOUT"] = "60s" };
        Assert.Equal(0, (await Cli(["table", "create", "shop.items", "--schema", "id BIGINT NOT NULL, name STRING, price DECIMAL(8,2)", "--primary-key", "id", "--cluster", silo.Gateway], env)).ExitCode);
        Assert.Equal(0, (await Cli(["write", "shop.items", "--format", "csv", "--cluster", silo.Gateway], env, new StringReader("id,name,price\n1,pen,1.50\n2,ink,3.25\n3,pad,2.00\n"))).ExitCode);
        Assert.Equal(0, (await Cli(["write", "shop.items", "--format", "csv", "--cluster", silo.Gateway], env, new StringReader("_op,id,name,price\n+U,1,pen,1.75\n-D,3,,\n"))).ExitCode);

        const string Query = "SELECT id, name, price FROM shop.items ORDER BY id";
        var remote = await Cli(["sql", Query, "--format", "csv", "--cluster", silo.Gateway], env);
        Assert.True(remote.ExitCode == 0, remote.Stderr);
        Assert.Equal("id,name,price\n1,pen,1.75\n2,ink,3.25\n", remote.Stdout.Replace("\r", "", StringComparison.Ordinal));
        var local = await Cli(["sql", Query, "--format", "csv", "--warehouse", cluster.Warehouse], env);
        Assert.Equal(local.Stdout, remote.Stdout);
        var error = await Cli(["sql", "SELECT nope FROM shop.items", "--cluster", silo.Gateway], env);
        Assert.Equal(1, error.ExitCode);
        Assert.Contains("error: SQL error: Binder Error", error.Stderr);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> Cli(string[] args, IDictionary<string, string?> env, TextReader? stdin = null, StringWriter? stdout = null)
    {
        stdout ??= new StringWriter();
        var stderr = new StringWriter();
        int code = await CliApp.RunAsync(args, stdin ?? new StringReader(""), stdout, stderr, env).WaitAsync(TimeSpan.FromMinutes(2));
        return (code, stdout.ToString(), stderr.ToString());
    }
}
