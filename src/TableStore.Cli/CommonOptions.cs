using System.CommandLine;
using System.Globalization;
using System.Numerics;
using TableStore.Core;

namespace TableStore.Cli;

/// <summary>Factories for the arguments and options shared by several commands, and small parsing helpers.</summary>
internal static class CommonOptions
{
    public static Argument<string> TableArgument() => new("table")
    {
        Description = "The table, as <database>.<table> (e.g. shop.orders)",
    };

    public static Option<string> Format(string defaultValue, params string[] allowed)
    {
        var option = new Option<string>("--format")
        {
            Description = $"Output format: {string.Join(", ", allowed)}",
            DefaultValueFactory = _ => defaultValue,
        };
        option.AcceptOnlyFromAmong(allowed);
        return option;
    }

    /// <summary>A whole-number option whose parse error names the option and the text, not a CLR type.</summary>
    public static Option<T?> WholeNumber<T>(string name, string description, string helpName) where T : struct, IBinaryInteger<T> => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (T.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) return n;
            result.AddError($"Invalid {name} '{text}': expected a whole number.");
            return null;
        },
    };

    /// <summary>Splits <c>a, b,c</c> into names; null or blank gives an empty list, an empty item is an error.</summary>
    public static IReadOnlyList<string> SplitList(string? text, string optionName)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var items = text.Split(',').Select(s => s.Trim()).ToList();
        if (items.Any(s => s.Length == 0))
            throw new InvalidInputException($"Invalid {optionName} '{text}': expected a comma-separated list of column names, found an empty item.");
        return items;
    }

    /// <summary><c>-X key=value</c> (repeatable): librdkafka settings, as kcat takes them.</summary>
    public static Option<string[]> KafkaSettings(string forWhat) => new("-X")
    {
        Description = $"A librdkafka setting for the {forWhat}, e.g. -X security.protocol=SASL_SSL (repeatable)",
        HelpName = "key=value",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>Adds each <c>key=value</c> of <see cref="KafkaSettings"/> to <paramref name="into"/>.</summary>
    public static void AddKafkaSettings(string[]? settings, IDictionary<string, string> into)
    {
        foreach (var setting in settings ?? [])
        {
            int eq = setting.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw new InvalidInputException($"Invalid -X '{setting}': expected key=value, e.g. -X security.protocol=SASL_SSL.");
            into[setting[..eq].Trim()] = setting[(eq + 1)..];
        }
    }

    public static TextWriter Out(this ParseResult pr) => pr.InvocationConfiguration.Output;

    public static TextWriter Err(this ParseResult pr) => pr.InvocationConfiguration.Error;
}
