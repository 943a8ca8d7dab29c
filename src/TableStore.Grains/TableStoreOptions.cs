namespace TableStore.Grains;

/// <summary>
/// How the grains store and commit. Bound from the <c>TableStore</c> configuration section
/// (<c>TableStore__Warehouse</c>, <c>TableStore__CommitInterval</c>, ...).
/// </summary>
public sealed class TableStoreOptions
{
    public const string SectionName = "TableStore";

    /// <summary>The warehouse: a folder, <c>file://</c> URI or the URI of a registered store (<c>s3://</c>, <c>az://</c>).</summary>
    public string Warehouse { get; set; } = "./warehouse";

    /// <summary>
    /// Group commit: the longest a write waits for others to share its snapshot. Shorter means fresher data and
    /// lower write latency, longer means fewer snapshots and fewer, larger level-0 files.
    /// </summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Group commit: commit at once when this many bytes of rows (estimated) wait, whatever the interval.</summary>
    public long CommitMaxBufferedBytes { get; set; } = 64L << 20;

    /// <summary>
    /// How many recent snapshots a restarted commit grain reads to recognise retried writes (by write id), so a
    /// retry after a crash is not committed twice. Retries older than this are not recognised.
    /// </summary>
    public int WriteDeduplicationSnapshots { get; set; } = 100;

    /// <summary>Rows a bucket writer holds for a write that never reached the commit grain are dropped after this.</summary>
    public TimeSpan AbandonedWriteTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A snapshot that changed more rows than this is not published on the stream (one message, read whole into a
    /// silo's memory); subscribers read it from the lake, page by page, within their catch-up interval.
    /// </summary>
    public long MaxPublishedChangeRows { get; set; } = 50_000;

    /// <summary>
    /// A snapshot's changes are published in parts of at most this many encoded bytes, each one stream message:
    /// below Kafka's message limit (1 MB on Event Hubs Standard) with room for the message's own framing.
    /// </summary>
    public int MaxPublishedEventBytes { get; set; } = 768 * 1024;

    /// <summary>
    /// A snapshot whose publish fails (the stream's brokers unreachable) is published again, before any later one,
    /// up to this many attempts in all (1 s, 2 s… apart); then it is given up and subscribers read it from the lake.
    /// </summary>
    public int PublishAttempts { get; set; } = 5;

    /// <summary>
    /// A write staged in parts (too large for one message) that got no part and no commit for this long is given up:
    /// its staged rows are deleted by the table's maintenance (never visible; see docs/architecture.md, "Writes larger than one request").
    /// </summary>
    public TimeSpan AbandonedUploadTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The longest a SQL query (<c>TableStoreClient.QueryAsync</c>, <c>tablestore sql --cluster</c>) may run on a silo; a client may ask for less.</summary>
    public TimeSpan QueryTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>DuckDB's memory limit for one SQL query on a silo (DuckDB's syntax: 512MB, 2GB); beyond it, operators spill or the query fails.</summary>
    public string QueryMemoryLimit { get; set; } = "1GB";

    /// <summary>Memory per silo for decoded data files kept for point lookups.</summary>
    public long LookupCacheBytes { get; set; } = 256L << 20;

    /// <summary>
    /// The Orleans stream provider on which each committed snapshot's changes are published (stream namespace
    /// <c>tablestore.changes</c>, keyed by table); empty: nothing is published. Subscribers catch up from the
    /// lake whatever the stream loses.
    /// </summary>
    public string StreamProvider { get; set; } = TableStore.Abstractions.ChangeStreams.DefaultProvider;

    /// <summary>
    /// How often a table's commit grain (active while the table is written) checks whether the table's scheduled
    /// maintenance is due: <c>snapshot.expire.interval</c> and <c>compaction.full.interval</c> table options.
    /// </summary>
    public TimeSpan MaintenanceCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a flush waits for its bucket's compaction when the bucket has reached the table's
    /// <c>num-sorted-run.stop-trigger</c> (back-pressure on writes). Past it the flush proceeds: a write is
    /// slowed down, never failed, by compaction. Keep it well under the Orleans response timeout.
    /// </summary>
    public TimeSpan CompactionStallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How stale "latest" may be for a lookup that names no snapshot (a client's own writes are always seen).</summary>
    public TimeSpan LookupLatestRefresh { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often a silo checks a table's schema again (so alters and drops made elsewhere are seen).</summary>
    public TimeSpan SchemaRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>On shutdown, how long the silo waits for the writes it accepted to be committed.</summary>
    public TimeSpan ShutdownFlushTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How often each silo makes sure every stored ingestion job runs (<c>tablestore ingest kafka --cluster</c>): after a
    /// silo dies, its jobs run again on another within about this long.
    /// </summary>
    public TimeSpan IngestJobCheckInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How a cloud warehouse retries, times out, uploads and reads (<c>TableStore__ObjectStore__MaxRetries</c>, ...).</summary>
    public TableStore.Core.IO.ObjectStoreOptions ObjectStore { get; set; } = new();
}
