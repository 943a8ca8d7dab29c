namespace TableStore.Core.Schema;

/// <summary>
/// A table's options: every option declared once (key, values, default, description: <see cref="All"/>), and the
/// typed values of one table's string options. Keys are checked when a table is created or altered, values when
/// its schema is read, so a typo fails early with the option's name.
/// </summary>
public sealed class CoreOptions
{
    public const string MergeEngineKey = "merge-engine";
    public const string TargetFileSizeKey = "target-file-size";
    public const string WriteBufferSizeKey = "write-buffer-size";
    public const string CompressionKey = "file.compression";
    public const string CompressionLevelKey = "file.compression.level";
    public const string RowGroupRowsKey = "parquet.row-group-rows";
    public const string ManifestMergeMinCountKey = "manifest.merge-min-count";
    public const string CommitMaxRetriesKey = "commit.max-retries";
    public const string CompactionTriggerKey = "num-sorted-run.compaction-trigger";
    public const string StopTriggerKey = "num-sorted-run.stop-trigger";
    public const string NumLevelsKey = "num-levels";
    public const string MaxSizeAmplificationKey = "compaction.max-size-amplification-percent";
    public const string SizeRatioKey = "compaction.size-ratio";
    public const string CompactionMinFileNumKey = "compaction.min.file-num";
    public const string CompactionMaxFileNumKey = "compaction.max.file-num";
    public const string WriteOnlyKey = "write-only";
    public const string RetainedMinKey = "snapshot.num-retained.min";
    public const string RetainedMaxKey = "snapshot.num-retained.max";
    public const string TimeRetainedKey = "snapshot.time-retained";
    public const string ChangelogProducerKey = "changelog-producer";
    public const string SequenceFieldKey = "sequence.field";
    public const string IgnoreDeleteKey = "ignore-delete";
    public const string RemoveRecordOnDeleteKey = "aggregation.remove-record-on-delete";
    public const string DefaultAggregateFunctionKey = "fields.default-aggregate-function";
    /// <summary>Per-column options: <c>fields.&lt;column&gt;.aggregate-function</c>, <c>fields.&lt;column&gt;.sequence-group</c>.</summary>
    public const string FieldsPrefix = "fields.";
    public const string AggregateFunctionSuffix = ".aggregate-function";
    public const string SequenceGroupSuffix = ".sequence-group";
    public const string ExpireIntervalKey = "snapshot.expire.interval";
    public const string FullCompactionIntervalKey = "compaction.full.interval";

    // ---- The declarations, in the order they are read (an option may follow those above it). ----

    public static readonly ConfigOption<MergeEngine> MergeEngineOption = ConfigOption.Choice(MergeEngineKey, MergeEngine.Deduplicate,
        [("deduplicate", MergeEngine.Deduplicate), ("partial-update", MergeEngine.PartialUpdate), ("aggregation", MergeEngine.Aggregation), ("first-row", MergeEngine.FirstRow)],
        "How rows with the same primary key merge: the latest wins, non-null columns update, columns aggregate, or the first stays (architecture.md, Merge engines)")
        .MergeOption().PrimaryKeyOnly();
    public static readonly ConfigOption<string> SequenceFieldOption = ConfigOption.Text(SequenceFieldKey, "value columns, comma-separated", "",
        "Orders a key's versions by these columns instead of by write order").MergeOption().PrimaryKeyOnly();
    public static readonly ConfigOption<bool> IgnoreDeleteOption = ConfigOption.Bool(IgnoreDeleteKey, false, "Drop -U and -D rows on write (any merge engine)").PrimaryKeyOnly();
    public static readonly ConfigOption<ChangelogProducer> ChangelogProducerOption = ConfigOption.Choice(ChangelogProducerKey, ChangelogProducer.None,
        [("none", ChangelogProducer.None), ("input", ChangelogProducer.Input), ("lookup", ChangelogProducer.Lookup), ("full-compaction", ChangelogProducer.FullCompaction)],
        "What streaming readers get for each commit (architecture.md, Streaming)").PrimaryKeyOnly();
    public static readonly ConfigOption<bool> RemoveRecordOnDeleteOption = ConfigOption.Bool(RemoveRecordOnDeleteKey, false,
        "Aggregation tables: a -D row deletes the key instead of retracting its values").MergeOption();
    public static readonly ConfigOption<string> DefaultAggregateFunctionOption = ConfigOption.Text(DefaultAggregateFunctionKey,
        string.Join(" | ", MergeTree.Engines.FieldAggregator.Names), "last_non_null_value", "Aggregation tables: the function of columns without their own").MergeOption();
    public static readonly ConfigOption<string> FieldAggregateFunctionOption = ConfigOption.Text($"{FieldsPrefix}<column>{AggregateFunctionSuffix}",
        string.Join(" | ", MergeTree.Engines.FieldAggregator.Names), "", "Aggregation tables: how this value column aggregates").MergeOption();
    public static readonly ConfigOption<string> FieldSequenceGroupOption = ConfigOption.Text($"{FieldsPrefix}<column>{SequenceGroupSuffix}", "value columns, comma-separated", "",
        "Partial-update tables: these columns update together when this column is not older").MergeOption();
    public static readonly ConfigOption<long> TargetFileSizeOption = ConfigOption.Size(TargetFileSizeKey, "128mb", "Data files are rolled at about this size");
    public static readonly ConfigOption<long> WriteBufferSizeOption = ConfigOption.Size(WriteBufferSizeKey, "64mb", "Memtable of a write, shared by its buckets: at this size the fullest bucket is flushed to a sorted run");
    public static readonly ConfigOption<FileCompression> CompressionOption = ConfigOption.Choice(CompressionKey, FileCompression.Zstd,
        [("zstd", FileCompression.Zstd), ("snappy", FileCompression.Snappy), ("gzip", FileCompression.Gzip), ("none", FileCompression.None), ("uncompressed", FileCompression.None)],
        "Parquet page compression of data files");
    /// <summary>Parquet.Net only takes the coarse levels; its default (smallest) is ~160x slower than fastest.</summary>
    public static readonly ConfigOption<System.IO.Compression.CompressionLevel> CompressionLevelOption = ConfigOption.Choice(CompressionLevelKey, System.IO.Compression.CompressionLevel.Fastest,
        [("fastest", System.IO.Compression.CompressionLevel.Fastest), ("optimal", System.IO.Compression.CompressionLevel.Optimal), ("smallest", System.IO.Compression.CompressionLevel.SmallestSize)],
        "Compression effort (smallest is about 160x slower to write than fastest)");
    public static readonly ConfigOption<int> RowGroupRowsOption = ConfigOption.Int(RowGroupRowsKey, 16384, 1024, int.MaxValue, "Rows per Parquet row group; reads, merges and compactions hold one or two per file");
    public static readonly ConfigOption<int> ManifestMergeMinCountOption = ConfigOption.Int(ManifestMergeMinCountKey, 30, 2, 100_000, "Manifests are merged into one once a snapshot has this many");
    public static readonly ConfigOption<int> CommitMaxRetriesOption = ConfigOption.Int(CommitMaxRetriesKey, 100, 0, 100_000, "Attempts a commit makes when other committers win the race for a snapshot id");
    public static readonly ConfigOption<int> CompactionTriggerOption = ConfigOption.Int(CompactionTriggerKey, 5, 2, 1000, "A bucket with this many sorted runs is compacted (universal compaction)");
    public static readonly ConfigOption<int> StopTriggerOption = ConfigOption.Int(StopTriggerKey, o => o.CompactionTrigger + 3, $"{CompactionTriggerKey} + 3",
        o => o.CompactionTrigger, CompactionTriggerKey, 10_000, "A bucket with this many sorted runs stalls its writer until compaction catches up");
    public static readonly ConfigOption<int> NumLevelsOption = ConfigOption.Int(NumLevelsKey, o => o.CompactionTrigger + 1, $"{CompactionTriggerKey} + 1",
        _ => 2, "2", 100, "Levels of a bucket's LSM tree");
    public static readonly ConfigOption<int> MaxSizeAmplificationOption = ConfigOption.Int(MaxSizeAmplificationKey, 200, 1, 1_000_000, "Compact everything once the runs above the last hold this percentage of its size");
    public static readonly ConfigOption<int> SizeRatioOption = ConfigOption.Int(SizeRatioKey, 1, 0, 1000, "Percent: a run joins a compaction when no larger than the runs before it by this much");
    public static readonly ConfigOption<int> CompactionMinFileNumOption = ConfigOption.Int(CompactionMinFileNumKey, 5, 2, 10_000, "Append-only buckets: compact once this many consecutive small files exist");
    public static readonly ConfigOption<int> CompactionMaxFileNumOption = ConfigOption.Int(CompactionMaxFileNumKey, _ => 50, "50",
        o => o.CompactionMinFileNum, CompactionMinFileNumKey, 100_000, "Append-only buckets: at most this many files per compaction");
    public static readonly ConfigOption<bool> WriteOnlyOption = ConfigOption.Bool(WriteOnlyKey, false, "Writers never compact; a compact job (or the service's schedule) does");
    public static readonly ConfigOption<int> RetainedMinOption = ConfigOption.Int(RetainedMinKey, 10, 1, int.MaxValue, "Expiration keeps at least this many snapshots, whatever their age");
    public static readonly ConfigOption<int> RetainedMaxOption = ConfigOption.Int(RetainedMaxKey, _ => int.MaxValue, "unlimited",
        o => o.RetainedMin, RetainedMinKey, int.MaxValue, "Expiration keeps at most this many snapshots, whatever their age");
    public static readonly ConfigOption<TimeSpan> TimeRetainedOption = ConfigOption.Duration(TimeRetainedKey, "1h", "Expiration keeps snapshots younger than this (between the min and max counts)");
    public static readonly ConfigOption<TimeSpan?> ExpireIntervalOption = ConfigOption.Interval(ExpireIntervalKey, "30min", "The service expires the table's snapshots on this schedule");
    public static readonly ConfigOption<TimeSpan?> FullCompactionIntervalOption = ConfigOption.Interval(FullCompactionIntervalKey, "off", "The service fully compacts the table on this schedule");
    public static readonly ConfigOption<string> UserAnnotationOption = ConfigOption.Text($"{UserPrefix}<name>", "any text", "", "Your own annotations, stored and never interpreted");

    /// <summary>Every table option this version knows, in the order listings show them.</summary>
    public static readonly IReadOnlyList<ConfigOption> All =
    [
        MergeEngineOption, SequenceFieldOption, IgnoreDeleteOption, RemoveRecordOnDeleteOption, FieldAggregateFunctionOption,
        DefaultAggregateFunctionOption, FieldSequenceGroupOption, ChangelogProducerOption, CompactionTriggerOption, StopTriggerOption,
        NumLevelsOption, MaxSizeAmplificationOption, SizeRatioOption, CompactionMinFileNumOption, CompactionMaxFileNumOption, WriteOnlyOption,
        RetainedMinOption, RetainedMaxOption, TimeRetainedOption, ExpireIntervalOption, FullCompactionIntervalOption, TargetFileSizeOption,
        WriteBufferSizeOption, CompressionOption, CompressionLevelOption, RowGroupRowsOption, ManifestMergeMinCountOption, CommitMaxRetriesOption,
        UserAnnotationOption,
    ];

    // ---- The typed values of one table's options. ----

    public MergeEngine MergeEngine { get; }
    public long TargetFileSize { get; }
    public long WriteBufferSize { get; }
    public FileCompression Compression { get; }
    public System.IO.Compression.CompressionLevel CompressionLevel { get; }
    public int RowGroupRows { get; }
    public int ManifestMergeMinCount { get; }
    public int CommitMaxRetries { get; }
    /// <summary>A bucket with this many sorted runs is compacted (universal compaction).</summary>
    public int CompactionTrigger { get; }
    /// <summary>A bucket with this many sorted runs stalls its writer until compaction catches up.</summary>
    public int StopTrigger { get; }
    public int NumLevels { get; }
    public int MaxSizeAmplificationPercent { get; }
    public int SizeRatio { get; }
    /// <summary>Append-only buckets: compact once this many consecutive small files exist (at most the max per compaction).</summary>
    public int CompactionMinFileNum { get; }
    public int CompactionMaxFileNum { get; }
    /// <summary>Writers never compact; a separate <c>compact</c> job (or the service's schedule) does.</summary>
    public bool WriteOnly { get; }
    /// <summary>Expiration keeps at least this many snapshots, whatever their age.</summary>
    public int RetainedMin { get; }
    /// <summary>Expiration keeps at most this many snapshots, whatever their age.</summary>
    public int RetainedMax { get; }
    /// <summary>Expiration keeps snapshots younger than this (between the min and max counts).</summary>
    public TimeSpan TimeRetained { get; }
    /// <summary>The service expires the table's snapshots this often (with the retention options above); null: never.</summary>
    public TimeSpan? ExpireInterval { get; }
    /// <summary>The service fully compacts the table this often; null (the default): never.</summary>
    public TimeSpan? FullCompactionInterval { get; }

    /// <summary>Keys under this prefix are the user's own annotations, stored and never interpreted.</summary>
    public const string UserPrefix = "meta.";

    /// <summary>The exact keys this version knows (patterns such as <c>fields.&lt;column&gt;...</c> not included).</summary>
    public static readonly IReadOnlyList<string> KnownKeys = [.. All.Where(o => !o.IsPattern).Select(o => o.Key)];

    /// <summary>The declaration <paramref name="key"/> belongs to; null for a key this version does not know.</summary>
    public static ConfigOption? Find(string key) => All.FirstOrDefault(o => !o.IsPattern && o.Matches(key)) ?? All.FirstOrDefault(o => o.Matches(key));

    /// <summary>
    /// Rejects option names this version does not know, so a typo is not silently ignored. Checked when a
    /// table is created, not when a stored schema is read: a table written by a newer version stays readable.
    /// </summary>
    public static void ValidateKeys(IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            if (Find(key) is not null) continue;
            var near = KnownKeys.MinBy(k => EditDistance(k, key));
            var hint = near is not null && EditDistance(near, key) <= Math.Max(2, key.Length / 4) ? $" Did you mean '{near}'?" : "";
            throw new InvalidInputException($"Unknown table option '{key}'.{hint} Known options: {string.Join(", ", All.Select(o => o.Key))}.");
        }
    }

    /// <summary>
    /// Whether the option decides how stored rows merge (engine, ordering, per-column functions and groups): such
    /// options are fixed once a table holds data, since stored rows were merged under them.
    /// </summary>
    public static bool IsMergeOption(string key) => Find(key)?.FixedOnceWritten == true;

    /// <summary>The columns of <c>sequence.field</c> (comma-separated), empty when not set.</summary>
    public IReadOnlyList<string> SequenceFields { get; }
    /// <summary>What streaming readers get for each commit (see <c>Streaming.SnapshotChanges</c>).</summary>
    public ChangelogProducer ChangelogProducer { get; }
    /// <summary>-U and -D rows are dropped on write (any merge engine).</summary>
    public bool IgnoreDelete { get; }
    /// <summary>Aggregation tables: a -D row removes the key's row instead of retracting its values.</summary>
    public bool RemoveRecordOnDelete { get; }

    public CoreOptions(IReadOnlyDictionary<string, string> options)
    {
        MergeEngine = MergeEngineOption.Read(options, this);
        SequenceFields = SequenceFieldOption.Read(options, this).Split(',').Select(x => x.Trim()).Where(x => x.Length > 0).ToArray();
        IgnoreDelete = IgnoreDeleteOption.Read(options, this);
        ChangelogProducer = ChangelogProducerOption.Read(options, this);
        RemoveRecordOnDelete = RemoveRecordOnDeleteOption.Read(options, this);
        TargetFileSize = TargetFileSizeOption.Read(options, this);
        WriteBufferSize = WriteBufferSizeOption.Read(options, this);
        Compression = CompressionOption.Read(options, this);
        CompressionLevel = CompressionLevelOption.Read(options, this);
        RowGroupRows = RowGroupRowsOption.Read(options, this);
        ManifestMergeMinCount = ManifestMergeMinCountOption.Read(options, this);
        CommitMaxRetries = CommitMaxRetriesOption.Read(options, this);
        CompactionTrigger = CompactionTriggerOption.Read(options, this);
        StopTrigger = StopTriggerOption.Read(options, this);
        NumLevels = NumLevelsOption.Read(options, this);
        MaxSizeAmplificationPercent = MaxSizeAmplificationOption.Read(options, this);
        SizeRatio = SizeRatioOption.Read(options, this);
        CompactionMinFileNum = CompactionMinFileNumOption.Read(options, this);
        CompactionMaxFileNum = CompactionMaxFileNumOption.Read(options, this);
        WriteOnly = WriteOnlyOption.Read(options, this);
        RetainedMin = RetainedMinOption.Read(options, this);
        RetainedMax = RetainedMaxOption.Read(options, this);
        TimeRetained = TimeRetainedOption.Read(options, this);
        ExpireInterval = ExpireIntervalOption.Read(options, this);
        FullCompactionInterval = FullCompactionIntervalOption.Read(options, this);
    }

    private static int EditDistance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
