namespace TableStore.Core.Schema;

/// <summary>A table option whose value is a <typeparamref name="T"/>.</summary>
public sealed class ConfigOption<T> : ConfigOption
{
    private readonly Func<CoreOptions, string> _defaultValue;
    private readonly Func<string, CoreOptions, T> _parse;

    internal ConfigOption(string key, string values, string defaultText, string description,
        Func<CoreOptions, string> defaultValue, Func<string, CoreOptions, T> parse)
        : base(key, values, defaultText, description)
    {
        _defaultValue = defaultValue;
        _parse = parse;
    }

    /// <summary>Marks an option that decides how stored rows merge (<see cref="ConfigOption.FixedOnceWritten"/>).</summary>
    internal ConfigOption<T> MergeOption()
    {
        FixedOnceWritten = true;
        return this;
    }

    /// <summary>Marks an option only primary-key tables take (<see cref="ConfigOption.RequiresPrimaryKey"/>).</summary>
    internal ConfigOption<T> PrimaryKeyOnly()
    {
        RequiresPrimaryKey = true;
        return this;
    }

    /// <summary>
    /// The option's value in <paramref name="options"/>, or its default. <paramref name="readSoFar"/> holds the
    /// options declared before this one (a default or a bound may follow them).
    /// </summary>
    public T Read(IReadOnlyDictionary<string, string> options, CoreOptions readSoFar)
    {
        var raw = options.TryGetValue(Key, out var v) ? v : _defaultValue(readSoFar);
        try
        {
            return _parse(raw.Trim(), readSoFar);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new InvalidInputException($"Invalid value '{raw}' for table option '{Key}': {e.Message}");
        }
    }
}
