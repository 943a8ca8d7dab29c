using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using TableStore.Cli.Tests.Support;
using TableStore.Testing;

namespace TableStore.Cli.Tests;

/// <summary>
/// <c>tablestore ingest kafka</c> against librdkafka's mock cluster over TCP (or KAFKA_BOOTSTRAP_SERVERS): events in,
/// rows out exactly once, reruns resuming from the offsets committed in the table, malformed events by policy.
/// </summary>
public sealed class IngestCommandTests : CliTestBase, IDisposable
{
    private readonly KafkaMockCluster _kafka = new();
    private readonly string _topic = "orders-" + Guid.NewGuid().ToString("N")[..8];

    void IDisposable.Dispose()
    {
        _kafka.Dispose();
        Dispose();
    }

    [Fact]
    public async Task Json_lines_events_land_once_and_a_rerun_resumes_where_the_table_left_off()
    {
        await CreateOrdersAsync();
        await ProduceAsync(_topic,
            (0, """{"id":1,"customer":"alice","qty":1}"""),
            (1, """{"id":2,"customer":"bob","qty":2}"""),
            (2, """{"id":3,"customer":"carol","qty":3}"""),
            (0, """{"id":1,"customer":"alice","qty":10}"""));

        var first = await OkAsync(Ingest("--format", "jsonl", "--max-messages", "4"));
        Assert.StartsWith($"Ingested 4 messages from '{_topic}' into shop.orders: 4 rows in ", first.Stdout);
        Assert.Contains("0 tombstones, 0 skipped, 0 dead-lettered (read --max-messages 4).", first.Stdout);
        Assert.Contains("Offsets: partition 0 at 2, partition 1 at 1, partition 2 at 1", first.Stdout);
        Assert.Equal("id,customer,amount,qty,day\n1,alice,,10,\n2,bob,,2,\n3,carol,,3,\n", (await OkAsync("scan", Orders, "--format", "csv")).Stdout);

        // Nothing new: a rerun reads nothing and commits nothing.
        var idle = await OkAsync(Ingest("--format", "jsonl", "--until-idle", "2"));
        Assert.StartsWith($"Ingested 0 messages from '{_topic}' into shop.orders: 0 rows in 0 snapshots;", idle.Stdout);

        await ProduceAsync(_topic, (1, """{"_op":"-D","id":2}"""), (2, """{"id":4,"customer":"dan","qty":4}"""));
        var second = await OkAsync(Ingest("--format", "jsonl", "--until-idle", "2"));
        Assert.StartsWith($"Ingested 2 messages from '{_topic}' into shop.orders: 2 rows in ", second.Stdout);
        Assert.Equal("id,customer,amount,qty,day\n1,alice,,10,\n3,carol,,3,\n4,dan,,4,\n", (await OkAsync("scan", Orders, "--format", "csv")).Stdout);

        // The positions live in the snapshot, beside the rows they produced.
        var latest = Directory.GetFiles(Path.Combine(Warehouse, "shop.db", "orders", "snapshot"), "snapshot-*").OrderBy(f => f.Length).ThenBy(f => f, StringComparer.Ordinal).Last();
        using var snapshot = JsonDocument.Parse(await File.ReadAllTextAsync(latest));
        var offsets = snapshot.RootElement.EnumerateObject().Single(p => p.Name.Equals("logOffsets", StringComparison.OrdinalIgnoreCase)).Value;
        Assert.Equal("2", offsets.GetProperty($"kafka/tablestore-ingest-shop.orders/{_topic}/1").GetString());
    }

    [Fact]
    public async Task Debezium_events_apply_creates_updates_deletes_and_skip_tombstones()
    {
        await CreateOrdersAsync();
        await ProduceAsync(_topic,
            (0, """{"schema":{"type":"struct","fields":[]},"payload":{"before":null,"after":{"id":1,"customer":"alice","amount":"10.50","qty":1,"day":19844},"op":"r"}}"""),
            (0, """{"before":null,"after":{"id":2,"customer":"bob","qty":2},"op":"c"}"""),
            (0, """{"before":{"id":1,"customer":"alice","qty":1},"after":{"id":1,"customer":"alice","qty":5},"op":"u"}"""),
            (0, """{"before":{"id":2},"after":null,"op":"d"}"""), // Debezium keys messages by primary key: one key, one partition
            (1, null));

        var r = await OkAsync(Ingest("--format", "debezium-json", "--max-messages", "5", "--group", "cdc"));
        Assert.Contains("Ingested 5 messages", r.Stdout);
        Assert.Contains("4 rows in", r.Stdout);
        Assert.Contains("1 tombstones, 0 skipped", r.Stdout);
        Assert.Equal("id,customer,amount,qty,day\n1,alice,,5,\n", (await OkAsync("scan", Orders, "--format", "csv")).Stdout);
    }

    [Fact]
    public async Task A_malformed_event_fails_at_its_offset_then_is_skipped_or_dead_lettered_as_asked()
    {
        await CreateOrdersAsync();
        await ProduceAsync(_topic,
            (0, """{"id":1,"customer":"alice","qty":1}"""),
            (0, """{"id":"two","customer":"bob","qty":2}"""),
            (0, """{"id":3,"customer":"carol","qty":3}"""));

        // fail (the default): what came before is committed; the error says where; a rerun stops at the same event.
        foreach (var _ in new[] { 1, 2 })
        {
            var failed = await FailAsync(Ingest("--format", "jsonl", "--until-idle", "2"));
            Assert.Contains($"Malformed event in Kafka topic '{_topic}', partition 0, offset 1: the object, field id: 'two' is not a valid BIGINT", failed.Stderr);
            Assert.Contains("--on-error skip", failed.Stderr);
            Assert.Equal("id,customer,amount,qty,day\n1,alice,,1,\n", (await OkAsync("scan", Orders, "--format", "csv")).Stdout);
        }

        var skipped = await OkAsync(Ingest("--format", "jsonl", "--until-idle", "2", "--on-error", "skip"));
        Assert.Contains("Ingested 2 messages", skipped.Stdout);
        Assert.Contains("0 tombstones, 1 skipped, 0 dead-lettered", skipped.Stdout);
        Assert.Contains($"warning: Skipped a malformed event of {_topic} partition 0 offset 1:", skipped.Stderr);
        Assert.Equal("id,customer,amount,qty,day\n1,alice,,1,\n3,carol,,3,\n", (await OkAsync("scan", Orders, "--format", "csv")).Stdout);

        await ProduceAsync(_topic, (2, "not json"), (2, """{"id":4,"customer":"dan","qty":4}"""));
        var dead = await OkAsync(Ingest("--format", "jsonl", "--until-idle", "2", "--on-error", "dead-letter"));
        Assert.Contains("0 tombstones, 0 skipped, 1 dead-lettered", dead.Stdout);
        Assert.Contains($"warning: Copied a malformed event of {_topic} partition 2 offset 0 to {_topic}.dead-letter: malformed JSON", dead.Stderr);
        var letters = KafkaMockCluster.ReadAll(_kafka.BootstrapServers, _topic + ".dead-letter");
        var letter = Assert.Single(letters);
        Assert.Equal("not json", Encoding.UTF8.GetString(letter.Message.Value));
        Assert.Equal($"{_topic}/2/0", Encoding.UTF8.GetString(letter.Message.Headers.GetLastBytes("tablestore.source")));
        Assert.StartsWith("malformed JSON", Encoding.UTF8.GetString(letter.Message.Headers.GetLastBytes("tablestore.error")));
        Assert.Equal(4, (await OkAsync("scan", Orders, "--format", "csv")).StdoutLines.Length);
    }

    [Fact]
    public async Task A_position_the_topic_no_longer_holds_is_an_error_not_a_silent_jump()
    {
        if (Environment.GetEnvironmentVariable(KafkaMockCluster.BrokerVariable) is { Length: > 0 }) return; // retention is forced on the mock only
        await CreateOrdersAsync();
        await ProduceAsync(_topic, (0, """{"id":1,"customer":"alice","qty":1}"""));
        await OkAsync(Ingest("--format", "jsonl", "--max-messages", "1"));
        // The mock cluster keeps only the last few megabytes of a partition: 25 MB more push offset 1 out, as retention would.
        var customer = new string('x', 400);
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = _kafka.BootstrapServers, LingerMs = 5 }).Build())
        {
            for (int i = 0; i < 60_000; i++)
                KafkaMockCluster.Produce(producer, new TopicPartition(_topic, 0), new Message<Null, string> { Value = $$"""{"id":{{i + 2}},"customer":"{{customer}}","qty":1}""" });
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
        }
        var failed = await FailAsync(Ingest("--format", "jsonl", "--until-idle", "10"));
        Assert.Contains($"Kafka topic '{_topic}', partition 0: the next offset to ingest (1) is not in the topic", failed.Stderr);
        Assert.Contains("ingest with a new --group", failed.Stderr);
        Assert.Equal("id,customer,amount,qty,day\n1,alice,,1,\n", (await OkAsync("scan", Orders, "--format", "csv")).Stdout);
    }

    [Fact]
    public async Task Bad_arguments_and_a_missing_topic_are_refused_with_the_reason()
    {
        await CreateOrdersAsync();
        Assert.Contains($"Kafka topic '{_topic}' does not exist", (await FailAsync(Ingest("--format", "jsonl", "--until-idle", "1"))).Stderr);
        Assert.Contains("needs --on-error dead-letter", (await FailAsync(Ingest("--format", "jsonl", "--dead-letter-topic", "x"))).Stderr);
        Assert.Contains("Invalid -X 'nonsense'", (await FailAsync(Ingest("--format", "jsonl", "-X", "nonsense"))).Stderr);
        // A secret may come from the environment (env:NAME); one that is not set is named.
        Assert.Contains("Kafka setting sasl.password is to be read from environment variable TABLESTORE_TEST_UNSET_SECRET (-X sasl.password=env:TABLESTORE_TEST_UNSET_SECRET), which is not set",
            (await FailAsync(Ingest("--format", "jsonl", "-X", "sasl.password=env:TABLESTORE_TEST_UNSET_SECRET"))).Stderr);
        var usage = await RunAsync("ingest", "kafka", Orders, "--bootstrap", _kafka.BootstrapServers, "--format", "jsonl");
        Assert.Equal(CliApp.UsageExitCode, usage.ExitCode);
        Assert.Contains("--topic", usage.Stderr);
        Assert.Contains("'ingest list' manages the jobs of a cluster: give --cluster HOST:PORT", (await FailAsync("ingest", "list")).Stderr);
        Assert.Contains("'ingest stop' manages the jobs of a cluster", (await FailAsync("ingest", "stop", "x")).Stderr);
        var jobWithoutCluster = await RunAsync(Ingest("--format", "jsonl", "--job", "j"));
        Assert.Equal(CliApp.UsageExitCode, jobWithoutCluster.ExitCode);
        Assert.Contains("--job names an ingestion job in the cluster: it needs --cluster.", jobWithoutCluster.Stderr);
        var limitInCluster = await RunAsync([.. Ingest("--format", "jsonl", "--until-idle", "3"), "--cluster", "127.0.0.1:1"]);
        Assert.Equal(CliApp.UsageExitCode, limitInCluster.ExitCode);
        Assert.Contains("a job in the cluster (--cluster) runs until 'tablestore ingest stop'", limitInCluster.Stderr);
        Assert.Contains("Table 'shop.nothing' does not exist", (await FailAsync("ingest", "kafka", "shop.nothing", "--bootstrap", _kafka.BootstrapServers, "--topic", _topic, "--format", "jsonl")).Stderr);
    }

    private string[] Ingest(params string[] more) =>
        ["ingest", "kafka", Orders, "--bootstrap", _kafka.BootstrapServers, "--topic", _topic, .. more];

    /// <summary>Produces to chosen partitions; the first message creates the topic (4 partitions on the mock cluster).</summary>
    private async Task ProduceAsync(string topic, params (int Partition, string? Value)[] messages)
    {
        using var producer = new ProducerBuilder<string?, string?>(new ProducerConfig { BootstrapServers = _kafka.BootstrapServers, Acks = Acks.All }).Build();
        foreach (var (partition, value) in messages)
            await producer.ProduceAsync(new TopicPartition(topic, partition), new Message<string?, string?> { Key = null, Value = value });
    }
}
