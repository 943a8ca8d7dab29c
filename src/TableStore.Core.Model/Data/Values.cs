using System.Globalization;
using System.Text.Json;
using TableStore.Core.Schema;

namespace TableStore.Core.Data;

/// <summary>
/// Conversions of column values between their in-memory CLR form, text (CSV, predicates, paths) and JSON.
/// Every parse error names the type and the offending text; callers add the location.
/// </summary>
public static class Values
{
    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd",
    ];

    /// <summary>Parses text (a CSV field, a predicate literal, a partition path value) as a value of <paramref name="type"/>.</summary>
    public static object Parse(string text, DataType type)
    {
        var t = type.Kind == DataTypeKind.String ? text : text.Trim();
        var inv = CultureInfo.InvariantCulture;
        bool ok;
        object? result;
        switch (type.Kind)
        {
            case DataTypeKind.Boolean:
                ok = TryParseBool(t, out var b); result = b; break;
            case DataTypeKind.Int:
                ok = int.TryParse(t, NumberStyles.AllowLeadingSign, inv, out var i); result = i; break;
            case DataTypeKind.BigInt:
                ok = long.TryParse(t, NumberStyles.AllowLeadingSign, inv, out var l); result = l; break;
            case DataTypeKind.Float:
                ok = float.TryParse(t, NumberStyles.Float, inv, out var f); result = f; break;
            case DataTypeKind.Double:
                ok = double.TryParse(t, NumberStyles.Float, inv, out var d); result = d; break;
            case DataTypeKind.Decimal:
                ok = decimal.TryParse(t, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, inv, out var m);
                result = ok ? CheckDecimal(m, type) : null; break;
            case DataTypeKind.String:
                return t;
            case DataTypeKind.Bytes:
                result = TryBase64(t); ok = result != null; break;
            case DataTypeKind.Date:
                ok = DateOnly.TryParseExact(t, "yyyy-MM-dd", inv, DateTimeStyles.None, out var date); result = date; break;
            case DataTypeKind.Timestamp:
                ok = DateTime.TryParseExact(t, TimestampFormats, inv, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var ts);
                result = ok ? CheckTimestamp(ts) : null; break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type));
        }
        if (!ok || result is null)
            throw new InvalidInputException($"'{Shorten(text)}' is not a valid {type.TypeName}{Hint(type)}.");
        return result;
    }

    /// <summary>
    /// <see cref="Parse"/> of a number straight from a reader's buffer, without a string per field: true with the value
    /// when the text is a valid INT, BIGINT, FLOAT or DOUBLE; false for other types and for text that does not parse,
    /// which the caller then hands to <see cref="Parse"/> for the value or the error.
    /// </summary>
    public static bool TryParseNumber(ReadOnlySpan<char> text, DataType type, out object? value)
    {
        var t = text.Trim();
        var inv = CultureInfo.InvariantCulture;
        switch (type.Kind)
        {
            case DataTypeKind.Int when int.TryParse(t, NumberStyles.AllowLeadingSign, inv, out var i): value = i; return true;
            case DataTypeKind.BigInt when long.TryParse(t, NumberStyles.AllowLeadingSign, inv, out var l): value = l; return true;
            case DataTypeKind.Float when float.TryParse(t, NumberStyles.Float, inv, out var f): value = f; return true;
            case DataTypeKind.Double when double.TryParse(t, NumberStyles.Float, inv, out var d): value = d; return true;
            default: value = null; return false;
        }
    }

    /// <summary>
    /// Parses a filter literal: like <see cref="Parse"/> but without the storage limits of the column (a filter
    /// may compare a DECIMAL(12,3) column with 1.0005, or a TIMESTAMP with a microsecond literal).
    /// </summary>
    public static object ParseLiteral(string text, DataType type)
    {
        var inv = CultureInfo.InvariantCulture;
        var t = text.Trim();
        switch (type.Kind)
        {
            case DataTypeKind.Decimal when decimal.TryParse(t, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, inv, out var m):
                return m;
            case DataTypeKind.Timestamp when DateTime.TryParseExact(t, TimestampFormats, inv, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var ts):
                return DateTime.SpecifyKind(ts, DateTimeKind.Utc);
            default:
                return Parse(text, type);
        }
    }

    private static string Hint(DataType type) => type.Kind switch
    {
        DataTypeKind.Boolean => " (expected true or false)",
        DataTypeKind.Bytes => " (expected base64)",
        DataTypeKind.Date => " (expected yyyy-MM-dd)",
        DataTypeKind.Timestamp => " (expected yyyy-MM-dd HH:mm:ss[.ffffff], optionally with a zone offset)",
        _ => "",
    };

    private static bool TryParseBool(string t, out bool b)
    {
        if (bool.TryParse(t, out b)) return true;
        if (t == "1") { b = true; return true; }
        if (t == "0") { b = false; return true; }
        return false;
    }

    private static byte[]? TryBase64(string t)
    {
        try { return Convert.FromBase64String(t); }
        catch (FormatException) { return null; }
    }

    /// <summary>Rejects a decimal that does not fit DECIMAL(p,s): silently rounding would lose data.</summary>
    public static decimal CheckDecimal(decimal m, DataType type)
    {
        var scaled = decimal.Round(m, type.Scale);
        if (scaled != m)
            throw new InvalidInputException($"{m.ToString(CultureInfo.InvariantCulture)} has more than {type.Scale} decimal places for {type.TypeName}.");
        var intDigits = type.Precision - type.Scale;
        if (Math.Abs(decimal.Truncate(m)) >= Pow10(intDigits))
            throw new InvalidInputException($"{m.ToString(CultureInfo.InvariantCulture)} has more than {intDigits} integer digits for {type.TypeName}.");
        return ToScale(m, type.Scale);
    }

    private static decimal Pow10(int n)
    {
        decimal r = 1;
        for (int i = 0; i < n; i++) r *= 10;
        return r;
    }

    /// <summary>
    /// Rejects strings with unpaired surrogates: they cannot be written as UTF-8, so Parquet would replace them
    /// and two different keys could become one.
    /// </summary>
    public static string CheckString(string s)
    {
        var span = s.AsSpan();
        if (span.IndexOfAnyInRange('\uD800', '\uDFFF') < 0) return s;
        for (int i = 0; i < span.Length; i++)
        {
            if (!char.IsSurrogate(span[i])) continue;
            if (char.IsHighSurrogate(span[i]) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1])) { i++; continue; }
            throw new InvalidInputException($"Text '{Shorten(s)}' has an unpaired UTF-16 surrogate at position {i}; it is not valid Unicode.");
        }
        return s;
    }

    /// <summary>
    /// TIMESTAMP has millisecond precision (see docs/decisions.md): finer digits are rejected rather than
    /// silently dropped, as extra decimal places are for DECIMAL.
    /// </summary>
    public static DateTime CheckTimestamp(DateTime t)
    {
        if (t.Ticks % TimeSpan.TicksPerMillisecond != 0)
            throw new InvalidInputException($"{t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture)} has digits below the millisecond, the precision of TIMESTAMP.");
        return DateTime.SpecifyKind(t, DateTimeKind.Utc);
    }

    /// <summary>
    /// DECIMAL values are held at exactly the column's scale, so 1.5 and 1.50 (and -0.00 and 0.00) are one key,
    /// one bucket, one partition path and print the same.
    /// </summary>
    private static decimal ToScale(decimal m, int scale)
    {
        var r = decimal.Round(m, scale) + new decimal(0, 0, 0, false, (byte)scale);
        return r == 0m ? new decimal(0, 0, 0, false, (byte)scale) : r;
    }

    private static string Shorten(string s) => s.Length <= 64 ? s : s[..64] + "…";

    /// <summary>
    /// Checks a value handed in through the API (not text) against the type; integral numbers are widened
    /// where that loses nothing. Returns the value in its canonical CLR form.
    /// </summary>
    public static object Coerce(object value, DataType type)
    {
        switch (type.Kind)
        {
            case DataTypeKind.Boolean when value is bool: return value;
            case DataTypeKind.Int when value is int: return value;
            case DataTypeKind.Int when value is long l && l is >= int.MinValue and <= int.MaxValue: return (int)l;
            case DataTypeKind.Int when value is short or byte or sbyte: return Convert.ToInt32(value, CultureInfo.InvariantCulture);
            case DataTypeKind.BigInt when value is long: return value;
            case DataTypeKind.BigInt when value is int or short or byte or sbyte: return Convert.ToInt64(value, CultureInfo.InvariantCulture);
            case DataTypeKind.Float when value is float: return value;
            // Widening only where the value survives exactly: 16777217 or 0.1 would change as a FLOAT.
            // (Range checks, not round trips: float-to-int conversions saturate on some platforms.)
            case DataTypeKind.Float when value is int i && i is > -(1 << 24) and < (1 << 24): return (float)i;
            case DataTypeKind.Float when value is long l && l is > -(1L << 24) and < (1L << 24): return (float)l;
            case DataTypeKind.Float when value is double d && ((double)(float)d == d || double.IsNaN(d)): return (float)d;
            case DataTypeKind.Double when value is double: return value;
            case DataTypeKind.Double when value is float or int: return Convert.ToDouble(value, CultureInfo.InvariantCulture);
            case DataTypeKind.Double when value is long l && l is >= -(1L << 53) and <= (1L << 53): return (double)l;
            case DataTypeKind.Decimal when value is decimal m: return CheckDecimal(m, type);
            case DataTypeKind.Decimal when value is int or long: return CheckDecimal(Convert.ToDecimal(value, CultureInfo.InvariantCulture), type);
            case DataTypeKind.String when value is string str: return CheckString(str);
            case DataTypeKind.Bytes when value is byte[]: return value;
            case DataTypeKind.Date when value is DateOnly: return value;
            case DataTypeKind.Date when value is DateTime dt && dt.TimeOfDay == TimeSpan.Zero: return DateOnly.FromDateTime(dt);
            case DataTypeKind.Timestamp when value is DateTime t: return CheckTimestamp(t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : t);
            case DataTypeKind.Timestamp when value is DateTimeOffset o: return CheckTimestamp(o.UtcDateTime);
        }
        throw new InvalidInputException($"A value of type {value.GetType().Name} ({Shorten(Format(value))}) is not a valid {type.TypeName}.");
    }

    /// <summary>Reads a JSON value (JSONL input, stats in manifests) as a value of <paramref name="type"/>; JSON null gives null.</summary>
    public static object? FromJson(JsonElement e, DataType type)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Null: return null;
            case JsonValueKind.String:
                string text;
                try { text = e.GetString()!; }
                catch (InvalidOperationException) { throw new InvalidInputException($"JSON string {Shorten(e.GetRawText())} has an unpaired UTF-16 surrogate escape; it is not valid Unicode."); }
                return Parse(text, type);
            case JsonValueKind.True or JsonValueKind.False when type.Kind == DataTypeKind.Boolean: return e.GetBoolean();
            case JsonValueKind.Number:
                switch (type.Kind)
                {
                    case DataTypeKind.Int when e.TryGetInt32(out var i): return i;
                    case DataTypeKind.BigInt when e.TryGetInt64(out var l): return l;
                    // Parse the literal as a float directly: rounding a decimal literal to the nearest float is what
                    // reading "0.1" into a FLOAT means, whereas going through double would round twice.
                    case DataTypeKind.Float: return Parse(e.GetRawText(), type);
                    case DataTypeKind.Double when e.TryGetDouble(out var d2): return d2;
                    case DataTypeKind.Decimal when e.TryGetDecimal(out var m): return CheckDecimal(m, type);
                }
                break;
        }
        throw new InvalidInputException($"JSON {e.ValueKind.ToString().ToLowerInvariant()} {Shorten(e.GetRawText())} is not a valid {type.TypeName}{Hint(type)}.");
    }

    public static void WriteJson(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null: w.WriteNullValue(); break;
            case bool b: w.WriteBooleanValue(b); break;
            case int i: w.WriteNumberValue(i); break;
            case long l: w.WriteNumberValue(l); break;
            case float f when float.IsFinite(f): w.WriteNumberValue(f); break;
            case double d when double.IsFinite(d): w.WriteNumberValue(d); break;
            case float or double: w.WriteStringValue(Format(value)); break;
            // Decimals and 64-bit values beyond 2^53 lose precision in many JSON readers; decimals go as strings.
            case decimal m: w.WriteStringValue(m.ToString(CultureInfo.InvariantCulture)); break;
            default: w.WriteStringValue(Format(value)); break;
        }
    }

    /// <summary>Formats a value as invariant text; null gives the empty string. <see cref="Parse"/> reads it back.</summary>
    public static string Format(object? value)
    {
        Span<char> buffer = stackalloc char[64];
        return value switch
        {
            null => "",
            string s => s,
            byte[] bytes => Convert.ToBase64String(bytes),
            _ when TryFormat(value, buffer, out int written) => new string(buffer[..written]),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
    }

    /// <summary>
    /// <see cref="Format"/> of a non-null value of a fixed-width type (numbers, booleans, dates, timestamps) into
    /// <paramref name="destination"/> without allocating, for writers of millions of values; false for other types
    /// (strings, bytes) or a destination too short (64 characters always suffice).
    /// </summary>
    public static bool TryFormat(object value, Span<char> destination, out int charsWritten)
    {
        var inv = CultureInfo.InvariantCulture;
        switch (value)
        {
            case bool b:
                var text = b ? "true" : "false";
                charsWritten = text.TryCopyTo(destination) ? text.Length : 0;
                return charsWritten > 0;
            case int i: return i.TryFormat(destination, out charsWritten, default, inv);
            case long l: return l.TryFormat(destination, out charsWritten, default, inv);
            case float f: return f.TryFormat(destination, out charsWritten, "R", inv);
            case double d: return d.TryFormat(destination, out charsWritten, "R", inv);
            case decimal m: return m.TryFormat(destination, out charsWritten, default, inv);
            case DateOnly d: return d.TryFormat(destination, out charsWritten, "yyyy-MM-dd", inv);
            case DateTime t: return t.TryFormat(destination, out charsWritten, t.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm:ss.FFFFFFF", inv);
            default:
                charsWritten = 0;
                return false;
        }
    }

    /// <summary>Total order of two non-null values of the same type (strings and bytes: ordinal/bytewise).</summary>
    public static int Compare(object a, object b) => (a, b) switch
    {
        (int x, int y) => x.CompareTo(y),
        (long x, long y) => x.CompareTo(y),
        (string x, string y) => string.CompareOrdinal(x, y),
        (double x, double y) => x.CompareTo(y),
        (float x, float y) => x.CompareTo(y),
        (decimal x, decimal y) => x.CompareTo(y),
        (bool x, bool y) => x.CompareTo(y),
        (DateOnly x, DateOnly y) => x.CompareTo(y),
        (DateTime x, DateTime y) => x.Ticks.CompareTo(y.Ticks),
        (byte[] x, byte[] y) => x.AsSpan().SequenceCompareTo(y),
        _ => throw new InvalidOperationException($"Cannot compare {a.GetType().Name} with {b.GetType().Name}."),
    };

    /// <summary>Nulls first, then <see cref="Compare(object, object)"/>.</summary>
    public static int CompareNullable(object? a, object? b)
    {
        if (a is null) return b is null ? 0 : -1;
        if (b is null) return 1;
        return Compare(a, b);
    }

    public static bool ValueEquals(object? a, object? b) => CompareNullable(a, b) == 0;
}
