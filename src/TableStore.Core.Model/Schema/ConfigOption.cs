namespace TableStore.Core.Schema;

/// <summary>
/// One table option, declared once (in <see cref="CoreOptions"/>): its key, the values it takes, its default and what
/// it does. Parsing, validation, error messages, <c>tablestore table options</c> and the options table in
/// docs/file-format.md all read these declarations, so they cannot disagree.
/// </summary>
public abstract class ConfigOption
{
    private protected ConfigOption(string key, string values, string defaultText, string description)
    {
        Key = key;
        Values = values;
        DefaultText = defaultText;
        Description = description;
        int open = key.IndexOf('<', StringComparison.Ordinal);
        if (open >= 0)
        {
            int close = key.IndexOf('>', open);
            (_patternPrefix, _patternSuffix) = (key[..open], key[(close + 1)..]);
        }
    }

    private readonly string? _patternPrefix;
    private readonly string? _patternSuffix;

    /// <summary>The key, or a key pattern with one placeholder: <c>fields.&lt;column&gt;.aggregate-function</c>.</summary>
    public string Key { get; }

    /// <summary>The values it takes, as a person reads them: <c>2 … 1000</c>, <c>deduplicate | partial-update</c>, <c>size</c>.</summary>
    public string Values { get; }

    /// <summary>The default as text (empty: none); may name another option (<c>compaction-trigger + 3</c>).</summary>
    public string DefaultText { get; }

    public string Description { get; }

    /// <summary>Decides how stored rows merge: fixed once the table holds data, since those rows were merged under it.</summary>
    public bool FixedOnceWritten { get; private protected set; }

    /// <summary>Only a table with a primary key takes it (an append-only table refuses it).</summary>
    public bool RequiresPrimaryKey { get; private protected set; }

    /// <summary>The restrictions above in words, for listings: <c>primary-key tables; fixed once the table holds data</c>.</summary>
    public string Restrictions => string.Join("; ", new[] { RequiresPrimaryKey ? "primary-key tables" : null, FixedOnceWritten ? "fixed once the table holds data" : null }.OfType<string>());

    public bool IsPattern => _patternPrefix is not null;

    /// <summary>Whether <paramref name="key"/> is this option (or an instance of this pattern, with a non-empty placeholder).</summary>
    public bool Matches(string key) => _patternPrefix is null
        ? key == Key
        : key.Length > _patternPrefix.Length + _patternSuffix!.Length
          && key.StartsWith(_patternPrefix, StringComparison.Ordinal) && key.EndsWith(_patternSuffix, StringComparison.Ordinal);

    /// <summary>The placeholder's value in <paramref name="key"/> (the column of <c>fields.amount.aggregate-function</c>).</summary>
    public string PlaceholderOf(string key) =>
        IsPattern && Matches(key) ? key[_patternPrefix!.Length..^_patternSuffix!.Length] : throw new ArgumentException($"'{key}' is not an instance of '{Key}'.", nameof(key));

    public override string ToString() => Key;

    // ---- Declarations: one factory per kind of value, each with the parsing and the message for a bad value. ----

    public static ConfigOption<int> Int(string key, int defaultValue, int min, int max, string description) =>
        new(key, Range(min, max), Show(defaultValue), description, _ => Invariant(defaultValue), (v, _) => ParseInt(v, min, max));

    /// <summary>An integer whose default and lower bound follow options read before it (the stop trigger follows the compaction trigger).</summary>
    public static ConfigOption<int> Int(string key, Func<CoreOptions, int> defaultValue, string defaultText, Func<CoreOptions, int> min, string minText, int max, string description) =>
        new(key, $"{minText} … {Show(max)}", defaultText, description, o => Invariant(defaultValue(o)), (v, o) => ParseInt(v, min(o), max));

    public static ConfigOption<bool> Bool(string key, bool defaultValue, string description) =>
        new(key, "true | false", defaultValue ? "true" : "false", description, _ => defaultValue ? "true" : "false", (v, _) => ParseBool(v));

    public static ConfigOption<long> Size(string key, string defaultValue, string description) =>
        new(key, "size: 4096, 64kb, 128mb, 1gb", defaultValue, description, _ => defaultValue, (v, _) => ParseSize(v));

    public static ConfigOption<TimeSpan> Duration(string key, string defaultValue, string description) =>
        new(key, "duration: 500ms, 30s, 10min, 1h, 7d", defaultValue, description, _ => defaultValue, (v, _) => ParseDuration(v));

    /// <summary>A schedule: a positive duration, or <c>off</c> (also <c>0</c>) for never (null).</summary>
    public static ConfigOption<TimeSpan?> Interval(string key, string defaultValue, string description) =>
        new(key, "duration, or off", defaultValue, description, _ => defaultValue, (v, _) => ParseInterval(v));

    /// <summary>
    /// One of named values; several names may map to one value, the first is the one shown (the others are
    /// accepted aliases). Names are matched case-insensitively.
    /// </summary>
    public static ConfigOption<T> Choice<T>(string key, T defaultValue, IReadOnlyList<(string Name, T Value)> choices, string description)
        where T : notnull
    {
        var shown = choices.GroupBy(c => c.Value).Select(g => g.First().Name).ToArray();
        var defaultName = choices.First(c => EqualityComparer<T>.Default.Equals(c.Value, defaultValue)).Name;
        return new(key, string.Join(" | ", shown), defaultName, description, _ => defaultName, (v, _) =>
        {
            foreach (var (name, value) in choices)
                if (string.Equals(name, v, StringComparison.OrdinalIgnoreCase)) return value;
            throw new FormatException($"supported: {string.Join(", ", shown)}");
        });
    }

    /// <summary>Free text (a column list, a function name) that the option's user checks against the schema.</summary>
    public static ConfigOption<string> Text(string key, string values, string defaultValue, string description) =>
        new(key, values, defaultValue, description, _ => defaultValue, (v, _) => v);

    // ---- Value syntax shared by every option (and by the CLI's own duration flags). ----

    public static int ParseInt(string v, int min, int max)
    {
        int n = int.Parse(v, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture);
        if (n < min || n > max) throw new FormatException($"must be between {min} and {max}");
        return n;
    }

    public static bool ParseBool(string v) => v.ToLowerInvariant() switch
    {
        "true" => true,
        "false" => false,
        _ => throw new FormatException("must be true or false"),
    };

    /// <summary>Parses sizes such as <c>4096</c>, <c>64kb</c>, <c>128mb</c>, <c>1gb</c> (binary multiples).</summary>
    public static long ParseSize(string v)
    {
        v = v.Trim().ToLowerInvariant();
        long mult = 1;
        foreach (var (suffix, m) in new[] { ("kb", 1L << 10), ("mb", 1L << 20), ("gb", 1L << 30), ("k", 1L << 10), ("m", 1L << 20), ("g", 1L << 30), ("b", 1L) })
        {
            if (v.EndsWith(suffix, StringComparison.Ordinal)) { mult = m; v = v[..^suffix.Length].Trim(); break; }
        }
        long n = long.Parse(v, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture);
        if (n <= 0) throw new FormatException("must be positive");
        return checked(n * mult);
    }

    /// <summary>Parses durations such as <c>500ms</c>, <c>30s</c>, <c>10min</c>, <c>1h</c>, <c>7d</c> (a bare number is seconds).</summary>
    public static TimeSpan ParseDuration(string v)
    {
        var text = v.Trim().ToLowerInvariant();
        int split = 0;
        while (split < text.Length && (char.IsAsciiDigit(text[split]) || text[split] == '.')) split++;
        if (split == 0 || !double.TryParse(text[..split], System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var n))
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

    private static TimeSpan? ParseInterval(string v)
    {
        if (v.Equals("off", StringComparison.OrdinalIgnoreCase)) return null;
        var d = ParseDuration(v);
        return d <= TimeSpan.Zero ? null : d;
    }

    private static string Range(int min, int max) => $"{Show(min)} … {Show(max)}";

    private static string Invariant(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Show(int n) => n == int.MaxValue ? "unlimited" : n.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
