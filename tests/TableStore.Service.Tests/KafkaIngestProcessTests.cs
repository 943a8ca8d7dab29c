using System.Globalization;
using System.Text.RegularExpressions;
using TableStore.Core.Api;
using TableStore.Core.Scan;
using TableStore.Core.Table;
using TableStore.Service.Tests.Support;
using TableStore.Tests.Shared;
using Xunit.Abstractions;

namespace TableStore.Service.Tests;

/// <summary>
/// Exactly-once ingestion across processes: kcat (a Kafka client of its own) produces events to a mock cluster in a
/// kcat process; the CLI and the silos ingest them; ingesting processes are killed with SIGKILL at random points.
/// The model is the list of events produced: at the end the table holds each exactly once.
/// </summary>
public sealed partial class KafkaIngestProcessTests(ITestOutputHelper output)
{
    private const string Table = "t.events";
    private const string Columns = "p INT NOT NULL, n BIGINT NOT NULL, note STRING";

    [Fact]
    public async Task Cli_ingestion_killed_mid_batch_again_and_again_ends_with_every_event_exactly_once()
    {
        await using var cluster = new ProcessCluster();
        var kafka = await cluster.StartKafkaAsync();
        var topic = KafkaMock.Unique("events");
        await CreateTableAsync(cluster);
        var events = new EventLog(kafka, topic, Partitions: 3);
        var produced = events.Produced;
        var random = new Random(7);
        Task ProduceAsync(int count) => events.ProduceAsync(count);

        await ProduceAsync(3000);
        for (int round = 0; round < 6; round++)
        {
            var before = await CountAsync(cluster);
            var cli = cluster.StartCli("ingest", "kafka", Table, "--bootstrap", kafka, "--topic", topic, "--format", "jsonl", "--until-idle", "30");
            await ProduceAsync(500); // while it runs
            // Once it has committed, kill it at a random point of what follows: reading, decoding, writing or committing a batch.
            await Wait.UntilAsync(async () => await CountAsync(cluster) > before || cli.HasExited, $"round {round} to commit", TimeSpan.FromMinutes(2));
            if (cli.HasExited) Assert.Fail($"the ingestion exited on its own:\n{await cluster.OutputAfterExitAsync(cli)}");
            await Task.Delay(random.Next(0, 1500));
            Posix.Kill(cli.Id, Posix.SIGKILL);
            await cli.WaitForExitAsync();
            var after = await CountAsync(cluster);
            output.WriteLine($"round {round}: killed with {after} rows committed ({after - before} this round)");
        }

        var last = cluster.StartCli("ingest", "kafka", Table, "--bootstrap", kafka, "--topic", topic, "--format", "jsonl", "--until-idle", "3");
        using (var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3))) await last.WaitForExitAsync(deadline.Token);
        var printed = await cluster.OutputAfterExitAsync(last);
        Assert.True(last.ExitCode == 0, printed);
        Assert.Contains("no message for 3 s", printed);

        var rows = await RowsAsync(cluster);
        Assert.Equal(produced.Count, rows.Count);
        Assert.Equal(produced.Order(), rows.Order()); // each event once: none lost, none repeated
        var offsets = OffsetsPattern().Matches(printed).ToDictionary(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m => long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.Equal(produced.GroupBy(e => e.P).ToDictionary(g => g.Key, g => (long)g.Count()), offsets);
    }

    [Fact]
    public async Task A_job_in_the_cluster_is_started_listed_and_stopped_by_the_cli_and_survives_the_kill_of_its_silo()
    {
        await using var cluster = new ProcessCluster();
        await cluster.StartRedisAsync();
        var kafka = await cluster.StartKafkaAsync();
        var topic = KafkaMock.Unique("events");
        var settings = new Dictionary<string, string> { ["TableStore__IngestJobCheckInterval"] = "00:00:01" };
        var first = await cluster.StartSiloAsync(settings: settings);
        var second = await cluster.StartSiloAsync(settings: settings);
        await CreateTableAsync(cluster);
        var events = new EventLog(kafka, topic, Partitions: 2);
        var produced = events.Produced;
        Task ProduceAsync(int count) => events.ProduceAsync(count);
        // Started before its topic exists (Debezium creates topics with the first change): the job waits for it.
        var started = await CliAsync(first.Gateway, "ingest", "kafka", Table, "--bootstrap", kafka, "--topic", topic, "--format", "jsonl", "--job", "events");
        Assert.StartsWith($"Started ingestion job 'events': Kafka topic '{topic}' into {Table}, on ", started);
        await ProduceAsync(1000);
        await Wait.UntilAsync(async () => await CountAsync(cluster) == produced.Count, "the job to ingest the first events");

        var listed = (await CliAsync(first.Gateway, "ingest", "list", "--format", "csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("job,table,topic,format,state,messages,rows,skipped,dead_lettered,last_snapshot,silo,error", listed[0]);
        var fields = listed[1].Split(',');
        Assert.Equal(["events", Table, topic, "jsonl", "running"], fields[..5]);
        var host = cluster.Silos.Single(s => fields[10].Contains($":{s.SiloPort}:", StringComparison.Ordinal));

        // SIGKILL the silo running the job while events keep coming: the other silo's keeper starts it again,
        // from the offsets in the table's last snapshot.
        cluster.KillAbruptly(host);
        var survivor = cluster.Silos.Single(s => s != host);
        await ProduceAsync(1000);
        await Wait.UntilAsync(async () => await CountAsync(cluster) >= produced.Count, "the job to run again on the surviving silo", TimeSpan.FromMinutes(3));
        var rows = await RowsAsync(cluster);
        Assert.Equal(produced.Order(), rows.Order());
        var relisted = (await CliAsync(survivor.Gateway, "ingest", "list", "--format", "csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains($":{survivor.SiloPort}:", relisted[1]);

        Assert.Equal("Stopped ingestion job 'events'.\n", await CliAsync(survivor.Gateway, "ingest", "stop", "events"));
        Assert.Single((await CliAsync(survivor.Gateway, "ingest", "list", "--format", "csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var missing = await BuiltPrograms.RunCliAsync(null, ["ingest", "stop", "events", "--cluster", survivor.Gateway], new Dictionary<string, string?>());
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("There is no ingestion job 'events'", missing.Stderr);
    }

    /// <summary>The model: every event produced, in order, as (partition, unique number); kcat produces them as JSON Lines.</summary>
    private sealed record EventLog(string Kafka, string Topic, int Partitions)
    {
        private long _next;

        public List<(int P, long N)> Produced { get; } = [];

        /// <summary>Produces <paramref name="perPartition"/> more events to each partition.</summary>
        public async Task ProduceAsync(int perPartition)
        {
            for (int p = 0; p < Partitions; p++)
            {
                var batch = Enumerable.Range(0, perPartition).Select(_ => (P: p, N: _next++)).ToList();
                Produced.AddRange(batch);
                await ProcessCluster.ProduceWithKcatAsync(Kafka, Topic, p, batch.Select(e => $$"""{"p":{{e.P}},"n":{{e.N}},"note":"event {{e.N}}"}"""));
            }
        }
    }

    private static async Task<string> CliAsync(string gateway, params string[] args)
    {
        var r = await BuiltPrograms.RunCliAsync(null, [.. args, "--cluster", gateway], new Dictionary<string, string?>());
        Assert.True(r.ExitCode == 0, $"tablestore {string.Join(' ', args)}: exit {r.ExitCode}\n{r.Stdout}\n{r.Stderr}");
        return r.Stdout;
    }

    private static async Task CreateTableAsync(ProcessCluster cluster)
    {
        Directory.CreateDirectory(cluster.Warehouse);
        await using var store = new EmbeddedTableStore(cluster.Warehouse);
        await store.CreateTableAsync(Identifier.Parse(Table), Specs.Table(Columns, [], [], 2), default);
    }

    private static async Task<long> CountAsync(ProcessCluster cluster) => (await RowsAsync(cluster)).Count;

    private static async Task<List<(int P, long N)>> RowsAsync(ProcessCluster cluster)
    {
        await using var store = new EmbeddedTableStore(cluster.Warehouse);
        var scan = await store.ScanAsync(Identifier.Parse(Table), new ScanOptions(), default);
        var rows = new List<(int, long)>();
        await foreach (var row in scan.Rows) rows.Add(((int)row[0]!, (long)row[1]!));
        return rows;
    }

    [GeneratedRegex(@"partition (\d+) at (\d+)")]
    private static partial Regex OffsetsPattern();
}
