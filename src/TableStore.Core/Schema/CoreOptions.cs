using System.Globalization;

namespace TableStore.Core.Schema;

public enum MergeEngine { Deduplicate, PartialUpdate, Aggregation, FirstRow }

public enum FileCompression { Zstd, Snappy, Gzip, None }

public enum ChangelogProducer { None, Input, Lookup, FullCompaction }

/// <summary>
/// Typed view over a table's string options, with defaults. Options are validated when the table is
/// created so a typo in a value fails early with the option's name.
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

    public MergeEngine MergeEngine { get; }
    public long TargetFileSize { get; }
    public long WriteBufferSize { get; }
    public FileCompression Compression { get; }
    /// <summary>Parquet.Net only takes the coarse levels; its default (smallest) is ~160x slower than fastest.</summary>
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

    public static readonly IReadOnlyList<string> KnownKeys =
    [
        MergeEngineKey, TargetFileSizeKey, WriteBufferSizeKey, CompressionKey, CompressionLevelKey, RowGroupRowsKey,
        ManifestMergeMinCountKey, CommitMaxRetriesKey, CompactionTriggerKey, StopTriggerKey, NumLevelsKey,
        MaxSizeAmplificationKey, SizeRatioKey, CompactionMinFileNumKey, CompactionMaxFileNumKey, WriteOnlyKey,
        RetainedMinKey, RetainedMaxKey, TimeRetainedKey, ExpireIntervalKey, FullCompactionIntervalKey,
        SequenceFieldKey, IgnoreDeleteKey, RemoveRecordOnDeleteKey, DefaultAggregateFunctionKey, ChangelogProducerKey,
    ];

    /// <summary>
    /// Rejects option names this version does not know, so a typo is not silently ignored. Checked when a
    /// table is created, not when a stored schema is read: a table written by a newer version stays readable.
    /// </summary>
    public static void ValidateKeys(IEnumerable<string> keys)
    {
        foreach (var key in keys)
            if (!KnownKeys.Contains(key) && !key.StartsWith(UserPrefix, StringComparison.Ordinal) && !IsFieldOption(key))
                throw new InvalidInputException($"Unknown table option '{key}'. Known options: {string.Join(", ", KnownKeys)}, {FieldsPrefix}<column>{AggregateFunctionSuffix}, {FieldsPrefix}<column>{SequenceGroupSuffix}; keys starting with '{UserPrefix}' are free-form annotations.");
    }

    /// <summary>
    /// Whether the option decides how stored rows merge (engine, ordering, per-column functions and groups): such
    /// options are fixed once a table holds data, since stored rows were merged under them.
    /// </summary>
    public static bool IsMergeOption(string key) =>
        key is MergeEngineKey or SequenceFieldKey or RemoveRecordOnDeleteKey or DefaultAggregateFunctionKey || IsFieldOption(key);

    private static bool IsFieldOption(string key) =>
        key.StartsWith(FieldsPrefix, StringComparison.Ordinal) && key.Length > FieldsPrefix.Length
        && (key.EndsWith(AggregateFunctionSuffix, StringComparison.Ordinal) || key.EndsWith(SequenceGroupSuffix, StringComparison.Ordinal));

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
        MergeEngine = Get(options, MergeEngineKey, "deduplicate", v => v.ToLowerInvariant() switch
        {
            "deduplicate" => MergeEngine.Deduplicate,
            "partial-update" => MergeEngine.PartialUpdate,
            "aggregation" => MergeEngine.Aggregation,
            "first-row" => MergeEngine.FirstRow,
            _ => throw new FormatException("supported: deduplicate, partial-update, aggregation, first-row"),
        });
        SequenceFields = Get(options, SequenceFieldKey, "", v => v.Split(',').Select(x => x.Trim()).Where(x => x.Length > 0).ToArray());
        IgnoreDelete = Get(options, IgnoreDeleteKey, "false", ParseBool);
        ChangelogProducer = Get(options, ChangelogProducerKey, "none", v => v.ToLowerInvariant() switch
        {
            "none" => ChangelogProducer.None,
            "input" => ChangelogProducer.Input,
            "lookup" => ChangelogProducer.Lookup,
            "full-compaction" => ChangelogProducer.FullCompaction,
            _ => throw new FormatException("supported: none, input, lookup, full-compaction"),
        });
        RemoveRecordOnDelete = Get(options, RemoveRecordOnDeleteKey, "false", ParseBool);
        TargetFileSize = Get(options, TargetFileSizeKey, "128mb", ParseSize);
        WriteBufferSize = Get(options, WriteBufferSizeKey, "256mb", ParseSize);
        Compression = Get(options, CompressionKey, "zstd", v => v.ToLowerInvariant() switch
        {
            "zstd" => FileCompression.Zstd,
            "snappy" => FileCompression.Snappy,
            "gzip" => FileCompression.Gzip,
            "none" or "uncompressed" => FileCompression.None,
            _ => throw new FormatException("supported: zstd, snappy, gzip, none"),
        });
        CompressionLevel = Get(options, CompressionLevelKey, "fastest", v => v.ToLowerInvariant() switch
        {
            "fastest" => System.IO.Compression.CompressionLevel.Fastest,
            "optimal" => System.IO.Compression.CompressionLevel.Optimal,
            "smallest" => System.IO.Compression.CompressionLevel.SmallestSize,
            _ => throw new FormatException("supported: fastest, optimal, smallest"),
        });
        RowGroupRows = Get(options, RowGroupRowsKey, "262144", v => ParseInt(v, 1024, int.MaxValue));
        ManifestMergeMinCount = Get(options, ManifestMergeMinCountKey, "30", v => ParseInt(v, 2, 100_000));
        CommitMaxRetries = Get(options, CommitMaxRetriesKey, "100", v => ParseInt(v, 0, 100_000));
        CompactionTrigger = Get(options, CompactionTriggerKey, "5", v => ParseInt(v, 2, 1000));
        StopTrigger = Get(options, StopTriggerKey, (CompactionTrigger + 3).ToString(CultureInfo.InvariantCulture), v => ParseInt(v, CompactionTrigger, 10_000));
        NumLevels = Get(options, NumLevelsKey, (CompactionTrigger + 1).ToString(CultureInfo.InvariantCulture), v => ParseInt(v, 2, 100));
        MaxSizeAmplificationPercent = Get(options, MaxSizeAmplificationKey, "200", v => ParseInt(v, 1, 1_000_000));
        SizeRatio = Get(options, SizeRatioKey, "1", v => ParseInt(v, 0, 1000));
        CompactionMinFileNum = Get(options, CompactionMinFileNumKey, "5", v => ParseInt(v, 2, 10_000));
        CompactionMaxFileNum = Get(options, CompactionMaxFileNumKey, "50", v => ParseInt(v, CompactionMinFileNum, 100_000));
        WriteOnly = Get(options, WriteOnlyKey, "false", ParseBool);
        RetainedMin = Get(options, RetainedMinKey, "10", v => ParseInt(v, 1, int.MaxValue));
        RetainedMax = Get(options, RetainedMaxKey, int.MaxValue.ToString(CultureInfo.InvariantCulture), v => ParseInt(v, RetainedMin, int.MaxValue));
        TimeRetained = Get(options, TimeRetainedKey, "1h", ParseDuration);
        ExpireInterval = Get(options, ExpireIntervalKey, "30min", ParseInterval);
        FullCompactionInterval = Get(options, FullCompactionIntervalKey, "off", ParseInterval);
    }

    private static bool ParseBool(string v) => v.ToLowerInvariant() switch
    {
        "true" => true,
        "false" => false,
        _ => throw new FormatException("must be true or false"),
    };

    /// <summary>A schedule: a positive duration, or <c>off</c> (also <c>0</c>) for never.</summary>
    private static TimeSpan? ParseInterval(string v)
    {
        if (v.Equals("off", StringComparison.OrdinalIgnoreCase)) return null;
        var d = ParseDuration(v);
        return d <= TimeSpan.Zero ? null : d;
    }

    /// <summary>Parses durations such as <c>500ms</c>, <c>30s</c>, <c>10min</c>, <c>1h</c>, <c>7d</c> (a bare number is seconds).</summary>
    public static TimeSpan ParseDuration(string v)
    {
        var text = v.Trim().ToLowerInvariant();
        int split = 0;
        while (split < text.Length && (char.IsAsciiDigit(text[split]) || text[split] == '.')) split++;
        if (split == 0 || !double.TryParse(text[..split], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n))
            throw new FormatException($"'{v}' is not a duration; use a number and a unit: ms, s, min, h, d (e.g. 30min, 1d)");
        TimeSpan unit = text[split..].Trim() switch
        {
            "ms" => TimeSpan.FromMilliseconds(1),
            "" or "s" or "sec" or "second" or "seconds" => TimeSpan.FromSeconds(1),
            "m" or "min" or "minute" or "minutes" => TimeSpan.FromMinutes(1),
            "h" or "hour" or "hours" => TimeSpan.FromHours(1),
            "d" or "day" or "days" => TimeSpan.FromDays(1),
            var u => throw new FormatException($"unknown unit '{u}' in '{v}'; use ms, s, min, h or d"),
        };
        return TimeSpan.FromTicks(checked((long)(n * unit.Ticks)));
    }

    private static T Get<T>(IReadOnlyDictionary<string, string> options, string key, string defaultValue, Func<string, T> parse)
    {
        var raw = options.TryGetValue(key, out var v) ? v : defaultValue;
        try { return parse(raw.Trim()); }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new InvalidInputException($"Invalid value '{raw}' for table option '{key}': {e.Message}");
        }
    }

    private static int ParseInt(string v, int min, int max)
    {
        int n = int.Parse(v, NumberStyles.Integer, CultureInfo.InvariantCulture);
        if (n < min || n > max) throw new FormatException($"must be between {min} and {max}");
        return n;
    }

    /// <summary>Parses sizes such as <c>4096</c>, <c>64kb</c>, <c>128mb</c>, <c>1gb</c>.</summary>
    public static long ParseSize(string v)
    {
        v = v.Trim().ToLowerInvariant();
        long mult = 1;
        foreach (var (suffix, m) in new[] { ("kb", 1L << 10), ("mb", 1L << 20), ("gb", 1L << 30), ("k", 1L << 10), ("m", 1L << 20), ("g", 1L << 30), ("b", 1L) })
        {
            if (v.EndsWith(suffix, StringComparison.Ordinal)) { mult = m; v = v[..^suffix.Length].Trim(); break; }
        }
        long n = long.Parse(v, NumberStyles.Integer, CultureInfo.InvariantCulture);
        if (n <= 0) throw new FormatException("must be positive");
        return checked(n * mult);
    }
}
