using System.CommandLine;
using System.Globalization;
using TableStore.Abstractions;
using TableStore.Cli.Output;
using TableStore.Client;
using TableStore.Core;
using TableStore.Core.Api;
using TableStore.Core.Ingest;
using TableStore.Core.Table;
using TableStore.Ingest.Kafka;

namespace TableStore.Cli.Commands;

/// <summary>
/// <c>tablestore ingest kafka &lt;db&gt;.&lt;table&gt; --bootstrap HOST:PORT --topic T --format debezium-json|jsonl
/// [--group G] [--max-messages N] [--until-idle SECONDS] [--on-error fail|skip|dead-letter] [--dead-letter-topic T]
/// [-X key=value]…</c>: change events from every partition of a topic into a table, exactly once (the offsets are
/// committed in the table's snapshots with the rows; a rerun resumes from them), until stopped.
/// </summary>
internal static class IngestCommand
{
    public static Command Build(CliContext context)
    {
        var table = CommonOptions.TableArgument();
        var bootstrap = new Option<string>("--bootstrap") { Description = "Kafka brokers, HOST:PORT[,HOST:PORT...]", HelpName = "HOST:PORT", Required = true };
        var topic = new Option<string>("--topic") { Description = "The topic to read (all of its partitions)", HelpName = "TOPIC", Required = true };
        var format = new Option<string>("--format") { Description = "How events are encoded: debezium-json (with or without the schema wrapper) or jsonl (one object per message, optional _op)", Required = true };
        format.AcceptOnlyFromAmong([.. ChangeMessageDecoder.Formats]);
        var group = new Option<string?>("--group") { Description = "Names this ingestion's offsets in the table, and the Kafka group that mirrors them for monitoring (default tablestore-ingest-<db>.<table>)", HelpName = "GROUP" };
        var maxMessages = CommonOptions.WholeNumber<long>("--max-messages", "Stop after this many messages", "N");
        var untilIdle = CommonOptions.WholeNumber<int>("--until-idle", "Stop after this many seconds without a message", "SECONDS");
        var onError = new Option<string>("--on-error")
        {
            Description = "A malformed event: fail (commit what came before, stop and say where), skip (log and count it) or dead-letter (copy it to the dead-letter topic)",
            DefaultValueFactory = _ => "fail",
        };
        onError.AcceptOnlyFromAmong([.. MalformedEventPolicyNames.All]);
        var deadLetterTopic = new Option<string?>("--dead-letter-topic") { Description = "With --on-error dead-letter: where malformed events go (default <topic>.dead-letter)", HelpName = "TOPIC" };
        var job = new Option<string?>("--job") { Description = "With --cluster: the job's name (default <db>.<table>.<topic>); starting a job of that name again replaces it", HelpName = "NAME" };
        var settings = CommonOptions.KafkaSettings("consumer");
        var kafka = new Command("kafka", "Ingest change events from a Kafka topic into a table, exactly once; a rerun resumes where the table's last snapshot left off. With --cluster: start it as a job of the service, which runs until 'ingest stop'")
        {
            table, bootstrap, topic, format, group, maxMessages, untilIdle, onError, deadLetterTopic, job, settings,
        };
        kafka.Validators.Add(result =>
        {
            bool cluster = result.GetValue(context.Cluster) is not null;
            if (cluster && (result.GetResult(maxMessages) is not null || result.GetResult(untilIdle) is not null))
                result.AddError("--max-messages and --until-idle stop an ingestion run by this process; a job in the cluster (--cluster) runs until 'tablestore ingest stop'.");
            if (!cluster && result.GetResult(job) is not null)
                result.AddError("--job names an ingestion job in the cluster: it needs --cluster.");
        });
        kafka.SetAction(async (pr, ct) =>
        {
            var id = Identifier.Parse(pr.GetValue(table));
            var options = new KafkaIngestOptions
            {
                BootstrapServers = pr.GetValue(bootstrap)!,
                Topic = pr.GetValue(topic)!,
                Format = pr.GetValue(format)!,
                Group = pr.GetValue(group),
                MaxMessages = pr.GetValue(maxMessages),
                UntilIdle = pr.GetValue(untilIdle) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                OnError = MalformedEventPolicyNames.Parse(pr.GetValue(onError)!),
                DeadLetterTopic = pr.GetValue(deadLetterTopic),
            };
            CommonOptions.AddKafkaSettings(pr.GetValue(settings), options.Settings);
            options.Validate();
            await using var store = await context.OpenAsync(pr, ct).ConfigureAwait(false);
            if (store is TableStoreClient client)
            {
                var spec = new IngestJobSpec(pr.GetValue(job) ?? $"{id.FullName}.{options.Topic}", id.FullName, options.BootstrapServers, options.Topic, options.Format,
                    options.Group, pr.GetValue(onError)!, options.DeadLetterTopic, options.Settings);
                var started = await client.StartIngestionAsync(spec, ct).ConfigureAwait(false);
                pr.Out().WriteLine($"Started ingestion job '{spec.Name}': Kafka topic '{spec.Topic}' into {spec.Table}, on {started.Silo}. 'tablestore ingest list' shows it; 'tablestore ingest stop {spec.Name}' stops it.");
                return 0;
            }
            var embedded = (EmbeddedTableStore)store;
            var fileTable = await embedded.Catalog.GetTableAsync(id, ct).ConfigureAwait(false);
            var err = pr.Err();
            var progress = context.ShowProgress ? new SyncProgress(p =>
            {
                var line = string.Create(CultureInfo.InvariantCulture, $"({p.Messages:N0} messages, {p.Rows:N0} rows{(p.LastSnapshotId is { } s ? $", snapshot {s}" : "")})");
                lock (err) err.WriteLine(line); // the logger writes to it too, from the same threads
            }) : null;
            var outcome = await new KafkaIngestion(fileTable, options, new StderrLogger(err, context.Debug)).RunAsync(progress, ct).ConfigureAwait(false);
            var done = outcome.Progress;
            var why = outcome.StoppedBecause switch
            {
                IngestStopReason.MaxMessages => $"read --max-messages {options.MaxMessages}",
                IngestStopReason.Idle => $"no message for {options.UntilIdle!.Value.TotalSeconds:0} s",
                _ => "stopped",
            };
            pr.Out().WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Ingested {done.Messages} messages from '{options.Topic}' into {id.FullName}: {done.Rows} rows in {done.Snapshots} snapshots{(done.LastSnapshotId is { } last ? $" (last {last})" : "")}; " +
                $"{done.Tombstones} tombstones, {done.Skipped} skipped, {done.DeadLettered} dead-lettered ({why})."));
            pr.Out().WriteLine("Offsets: " + (done.Positions.Count == 0 ? "(none)" : string.Join(", ", done.Positions.OrderBy(p => p.Key).Select(p => string.Create(CultureInfo.InvariantCulture, $"partition {p.Key} at {p.Value}")))));
            return 0;
        });
        return new Command("ingest", "Ingest change events from an external log into a table, here or as a job of the cluster") { kafka, List(context), Stop(context) };
    }

    private static Command List(CliContext context)
    {
        var format = CommonOptions.Format(RowFormatter.Table, RowFormatter.Formats);
        var command = new Command("list", "The cluster's ingestion jobs: state, counts since each last started, last error") { format };
        command.SetAction(async (pr, ct) =>
        {
            await using var store = await context.OpenAsync(pr, ct).ConfigureAwait(false);
            var jobs = await ClusterOnly(store, "list").ListIngestionsAsync(ct).ConfigureAwait(false);
            var outputFormat = pr.GetValue(format)!;
            var formatter = RowFormatter.Create(outputFormat, pr.Out(),
            [
                new("job"), new("table"), new("topic"), new("format"), new("state"), new("messages", AlignRight: true), new("rows", AlignRight: true),
                new("skipped", AlignRight: true), new("dead_lettered", AlignRight: true), new("last_snapshot", AlignRight: true), new("silo"), new("error"),
            ]);
            formatter.Begin();
            foreach (var j in jobs)
                formatter.Write([j.Spec.Name, j.Spec.Table, j.Spec.Topic, j.Spec.Format, j.State.ToString().ToLowerInvariant(), j.Messages, j.Rows, j.Skipped, j.DeadLettered, j.LastSnapshotId, j.Silo, j.Error]);
            formatter.End();
            if (outputFormat == RowFormatter.Table)
                pr.Err().WriteLine(string.Create(CultureInfo.InvariantCulture, $"({jobs.Count} job{(jobs.Count == 1 ? "" : "s")})"));
            return 0;
        });
        return command;
    }

    private static Command Stop(CliContext context)
    {
        var name = new Argument<string>("job") { Description = "The job's name, as 'ingest list' shows it" };
        var command = new Command("stop", "Stop a job of the cluster (it commits what it read) and delete it; its offsets stay in the table, so starting it again resumes") { name };
        command.SetAction(async (pr, ct) =>
        {
            await using var store = await context.OpenAsync(pr, ct).ConfigureAwait(false);
            await ClusterOnly(store, "stop").StopIngestionAsync(pr.GetValue(name)!, ct).ConfigureAwait(false);
            pr.Out().WriteLine($"Stopped ingestion job '{pr.GetValue(name)}'.");
            return 0;
        });
        return command;
    }

    private static TableStoreClient ClusterOnly(ITableStore store, string verb) => store as TableStoreClient
        ?? throw new InvalidInputException($"'ingest {verb}' manages the jobs of a cluster: give --cluster HOST:PORT (or ${CliContext.ClusterVariable}).");

    /// <summary>Reports at once on the committing thread (Progress&lt;T&gt; would post them, and they could come after the summary).</summary>
    private sealed class SyncProgress(Action<IngestProgress> report) : IProgress<IngestProgress>
    {
        public void Report(IngestProgress value) => report(value);
    }
}
