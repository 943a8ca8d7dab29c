using System.Text.RegularExpressions;

namespace TableStore.Core.Table;

/// <summary>
/// A table name <c>db.table</c>. Both parts are plain identifiers, so a name can never address a path outside
/// its table folder (no '/', '..', absolute paths or hidden names).
/// </summary>
public sealed partial record Identifier(string Database, string Table)
{
    public string FullName => $"{Database}.{Table}";
    public override string ToString() => FullName;

    public string TableRoot => $"{Database}.db/{Table}";

    public static Identifier Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new InvalidInputException("The table name is empty: expected <database>.<table>, e.g. shop.orders.");
        var parts = text.Split('.');
        if (parts.Length != 2)
            throw new InvalidInputException($"Invalid table name '{text}': expected <database>.<table>, e.g. shop.orders, each of letters, digits and '_'.");
        ValidatePart(parts[0], "database", text);
        ValidatePart(parts[1], "table", text);
        return new Identifier(parts[0], parts[1]);
    }

    private static void ValidatePart(string part, string what, string text)
    {
        if (!NamePattern().IsMatch(part))
            throw new InvalidInputException($"Invalid {what} name '{part}' in '{text}': use letters, digits and '_', starting with a letter or '_', at most 64 characters.");
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,63}\\z")]
    private static partial Regex NamePattern();
}
