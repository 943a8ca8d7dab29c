using TableStore.Cli;
using TableStore.Service.Tests.Support;

namespace TableStore.Service.Tests;

/// <summary>
/// Three silo processes with Redis clustering, driven by the real CLI in cluster mode: create, write and read through
/// different gateways, kill one silo, keep writing through the others, then stop the rest gracefully (SIGTERM).
/// </summary>
public sealed class MultiProcessClusterTests
{
    private const string Table = "shop.orders";

    [Fact]
    public async Task Cli_in_cluster_mode_against_three_silo_processes()
    {
        await using var cluster = new ProcessCluster();
        await cluster.StartRedisAsync();
        var silos = new List<ProcessCluster.Silo>();
        for (int i = 0; i < 3; i++) silos.Add(await cluster.StartSiloAsync());

        var create = await Cli(silos[0], null, "table", "create", Table, "--schema", "id BIGINT, customer STRING, amount DECIMAL(10,2)", "--primary-key", "id", "--buckets", "4");
        Assert.True(create.Code == 0, create.ToString());

        var write = await Cli(silos[1], "id,customer,amount\n1,ann,10.50\n2,bob,3.25\n3,cid,7.00\n", "write", Table);
        Assert.True(write.Code == 0, write.ToString());
        Assert.Matches(@"^\d+\s*$", write.Stdout);

        var scan = await Cli(silos[2], null, "scan", Table, "--format", "csv");
        Assert.True(scan.Code == 0, scan.ToString());
        Assert.Equal("id,customer,amount\n1,ann,10.50\n2,bob,3.25\n3,cid,7.00\n", scan.Stdout.ReplaceLineEndings("\n"));

        var lookup = await Cli(silos[0], null, "lookup", Table, "--key", "id=2", "--format", "jsonl");
        Assert.True(lookup.Code == 0, lookup.ToString());
        Assert.Equal("{\"id\":2,\"customer\":\"bob\",\"amount\":\"3.25\"}\n", lookup.Stdout.ReplaceLineEndings("\n"));
        // A subscription through the cluster: snapshot 1's changes from the lake, then nothing new for a second.
        var stream = await Cli(silos[2], null, "stream", Table, "--from", "snapshot:1", "--timeout", "1", "--format", "csv", "--consumer", "cli");
        Assert.True(stream.Code == 0, stream.ToString());
        Assert.Equal(4, stream.Stdout.ReplaceLineEndings("\n").Trim().Split('\n').Length); // header + 3 rows
        Assert.StartsWith("_op,_snapshot,id,customer,amount\n+I,1,", stream.Stdout.ReplaceLineEndings("\n"));
        var consumers = await Cli(silos[0], null, "consumer", "list", Table, "--format", "csv");
        Assert.Equal("consumer,next_snapshot\ncli,2\n", consumers.Stdout.ReplaceLineEndings("\n"));

        var missing = await Cli(silos[0], null, "lookup", Table, "--key", "id=99");
        Assert.Equal(0, missing.Code);
        Assert.Equal("", missing.Stdout);
        Assert.Contains("No row with key id=99", missing.Stderr);

        // One silo dies; the others carry on (bucket writers and commit grain reactivate there) once the cluster
        // has declared it dead. Until then a write may fail (nothing of it visible); the user runs it again.
        cluster.KillAbruptly(silos[2]);
        for (int i = 0; i < 5; i++)
        {
            var input = $"id,customer,amount\n{10 + i},late,{i}.00\n";
            var more = await Cli(silos[i % 2], input, "write", Table);
            for (var deadline = DateTime.UtcNow.AddSeconds(90); more.Code != 0 && DateTime.UtcNow < deadline;)
            {
                Assert.Contains("retry", more.Stderr);
                more = await Cli(silos[i % 2], input, "write", Table);
            }
            Assert.True(more.Code == 0, more.ToString());
        }
        var after = await Cli(silos[0], null, "scan", Table, "--format", "csv", "--where", "customer = 'late'");
        Assert.Equal(6, after.Stdout.ReplaceLineEndings("\n").Trim().Split('\n').Length);

        var snapshots = await Cli(silos[1], null, "snapshots", Table, "--format", "csv");
        Assert.True(snapshots.Code == 0, snapshots.ToString());

        Assert.Equal(0, await cluster.StopGracefullyAsync(silos[0]));
        Assert.Equal(0, await cluster.StopGracefullyAsync(silos[1]));
        Assert.Contains("TableStore silo stopping", cluster.Output(silos[0].Process));
    }

    [Fact]
    public async Task Sigterm_commits_the_writes_the_silo_accepted_before_it_exits()
    {
        await using var cluster = new ProcessCluster();
        // A commit interval far longer than the test: only the shutdown can commit the write.
        var silo = await cluster.StartSiloAsync(commitInterval: "00:01:00", redis: false);
        var create = await Cli(silo, null, "table", "create", Table, "--schema", "id BIGINT, note STRING", "--primary-key", "id", "--buckets", "1");
        Assert.True(create.Code == 0, create.ToString());

        var write = Cli(silo, "id,note\n1,a\n2,b\n3,c\n", "write", Table);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(write.IsCompleted, "the write was acknowledged before any commit was due");
        Assert.Equal(0, await cluster.StopGracefullyAsync(silo));
        var written = await write;
        Assert.True(written.Code == 0, written + "\n--- silo:\n" + cluster.Output(silo.Process));
        Assert.Matches(@"^\d+\s*$", written.Stdout);

        // The rows are in the warehouse: read them without any silo.
        var scan = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["scan", Table, "--warehouse", cluster.Warehouse, "--format", "csv"], new StringReader(""), scan, new StringWriter(), new Dictionary<string, string?>()));
        Assert.Equal("id,note\n1,a\n2,b\n3,c\n", scan.ToString().ReplaceLineEndings("\n"));
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Cli(ProcessCluster.Silo gateway, string? stdin, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await CliApp.RunAsync([.. args, "--cluster", gateway.Gateway], new StringReader(stdin ?? ""), stdout, stderr, new Dictionary<string, string?>());
        return (code, stdout.ToString(), stderr.ToString());
    }
}

public sealed class ServerSettingsTests
{
    [Fact]
    public async Task A_bad_object_store_setting_stops_the_server_naming_it()
    {
        var warehouse = Directory.CreateTempSubdirectory("ts-settings-").FullName;
        var psi = new System.Diagnostics.ProcessStartInfo(TableStore.Tests.Shared.BuiltPrograms.DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(TableStore.Tests.Shared.BuiltPrograms.Find("TableStore.Server.dll", "TableStore.Server"));
        psi.Environment["TableStore__Warehouse"] = warehouse;
        psi.Environment["TableStore__ObjectStore__MaxRetries"] = "-1";
        using var server = System.Diagnostics.Process.Start(psi)!;
        var stderr = server.StandardError.ReadToEndAsync();
        var stdout = server.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await server.WaitForExitAsync(timeout.Token);
        Assert.Equal(1, server.ExitCode);
        Assert.Contains("ObjectStore:MaxRetries must be between 0 and 50, got -1", await stderr + await stdout);
        Directory.Delete(warehouse, recursive: true);
    }
}
