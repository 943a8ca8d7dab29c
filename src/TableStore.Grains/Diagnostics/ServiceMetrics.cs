using System.Diagnostics.Metrics;

namespace TableStore.Grains.Diagnostics;

/// <summary>The service's metrics, on the <c>TableStore.Service</c> meter; tags name the table.</summary>
internal static class ServiceMetrics
{
    public const string MeterName = "TableStore.Service";
    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> Writes = Meter.CreateCounter<long>("tablestore.service.writes", description: "Writes acknowledged (committed)");
    public static readonly Counter<long> WritesFailed = Meter.CreateCounter<long>("tablestore.service.writes.failed", description: "Writes answered with an error");
    public static readonly Counter<long> Rows = Meter.CreateCounter<long>("tablestore.service.rows", description: "Rows acknowledged");
    public static readonly Histogram<long> BatchWrites = Meter.CreateHistogram<long>("tablestore.service.commit.batch.writes", description: "Writes sharing one group commit");
    public static readonly Histogram<double> BatchDuration = Meter.CreateHistogram<double>("tablestore.service.commit.batch.duration", "ms", "Seal, flush and commit of one group commit");
    public static readonly Histogram<double> PublishReadDuration = Meter.CreateHistogram<double>("tablestore.service.publish.read.duration", "ms",
        "Reading a committed snapshot's changes back from its files, to publish them");
    public static readonly Histogram<double> PublishSendDuration = Meter.CreateHistogram<double>("tablestore.service.publish.send.duration", "ms",
        "Handing a snapshot's change event (all its parts) to the stream provider until it acknowledged them (over Kafka: the brokers)");
    public static readonly Counter<long> Lookups = Meter.CreateCounter<long>("tablestore.service.lookups", description: "Point lookups served");

    public static readonly UpDownCounter<int> CompactionBacklog = Meter.CreateUpDownCounter<int>("tablestore.service.compaction.backlog",
        description: "Bucket compactions started by writers and not finished (queued for a thread or running)");

    public static readonly Histogram<long> SubscriberLag = Meter.CreateHistogram<long>("tablestore.service.subscriber.lag", "{snapshot}",
        "Snapshots a subscriber had yet to receive when it caught up from the lake (0: it was current)");

    public static KeyValuePair<string, object?> Table(string table) => new("table", table);
}
