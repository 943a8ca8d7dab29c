using System.Globalization;

namespace TableStore.Core.Schema;

public enum MergeEngine { Deduplicate }

public enum FileCompression { Zstd, Snappy, Gzip, None }

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

    public MergeEngine MergeEngine { get; }
    public long TargetFileSize { get; }
    public long WriteBufferSize { get; }
    public FileCompression Compression { get; }
    /// <summary>Parquet.Net only takes the coarse levels; its default (smallest) is ~160x slower than fastest.</summary>
    public System.IO.Compression.CompressionLevel CompressionLevel { get; }
    public int RowGroupRows { get; }
    public int ManifestMergeMinCount { get; }
    public int CommitMaxRetries { get; }

    /// <summary>Keys under this prefix are the user's own annotations, stored and never interpreted.</summary>
    public const string UserPrefix = "meta.";

    public static readonly IReadOnlyList<string> KnownKeys =
    [
        MergeEngineKey, TargetFileSizeKey, WriteBufferSizeKey, CompressionKey, CompressionLevelKey, RowGroupRowsKey,
        ManifestMergeMinCountKey, CommitMaxRetriesKey,
    ];

    /// <summary>
    /// Rejects option names this version does not know, so a typo is not silently ignored. Checked when a
    /// table is created, not when a stored schema is read: a table written by a newer version stays readable.
    /// </summary>
    public static void ValidateKeys(IEnumerable<string> keys)
    {
        foreach (var key in keys)
            if (!KnownKeys.Contains(key) && !key.StartsWith(UserPrefix, StringComparison.Ordinal))
                throw new InvalidInputException($"Unknown table option '{key}'. Known options: {string.Join(", ", KnownKeys)}; keys starting with '{UserPrefix}' are free-form annotations.");
    }

    public CoreOptions(IReadOnlyDictionary<string, string> options)
    {
        MergeEngine = Get(options, MergeEngineKey, "deduplicate", v => v.ToLowerInvariant() switch
        {
            "deduplicate" => MergeEngine.Deduplicate,
            _ => throw new FormatException("supported: deduplicate"),
        });
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
