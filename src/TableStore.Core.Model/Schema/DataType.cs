using System.Globalization;
using System.Text.RegularExpressions;

namespace TableStore.Core.Schema;

/// <summary>
/// A column type with its nullability. Values are held in memory as: bool, int, long, float, double,
/// decimal, string, byte[], DateOnly and DateTime (TIMESTAMP: no time zone, microsecond precision).
/// </summary>
public sealed partial record DataType(DataTypeKind Kind, bool Nullable = true, int Precision = 0, int Scale = 0)
{
    /// <summary>.NET's decimal holds 28 significant digits; wider decimals would silently lose precision.</summary>
    public const int MaxDecimalPrecision = 28;

    public DataType AsNullable(bool nullable) => this with { Nullable = nullable };

    public Type ClrType => Kind switch
    {
        DataTypeKind.Boolean => typeof(bool),
        DataTypeKind.Int => typeof(int),
        DataTypeKind.BigInt => typeof(long),
        DataTypeKind.Float => typeof(float),
        DataTypeKind.Double => typeof(double),
        DataTypeKind.Decimal => typeof(decimal),
        DataTypeKind.String => typeof(string),
        DataTypeKind.Bytes => typeof(byte[]),
        DataTypeKind.Date => typeof(DateOnly),
        DataTypeKind.Timestamp => typeof(DateTime),
        _ => throw new ArgumentOutOfRangeException(nameof(Kind)),
    };

    /// <summary>The SQL-ish name without nullability, e.g. <c>DECIMAL(10,2)</c>.</summary>
    public string TypeName => Kind switch
    {
        DataTypeKind.Decimal => string.Create(CultureInfo.InvariantCulture, $"DECIMAL({Precision},{Scale})"),
        _ => Kind.ToString().ToUpperInvariant(),
    };

    public override string ToString() => Nullable ? TypeName : TypeName + " NOT NULL";

    /// <summary>Parses <c>INT</c>, <c>decimal(10, 2)</c>, <c>STRING NOT NULL</c>, ... (case-insensitive).</summary>
    public static DataType Parse(string text)
    {
        var m = TypePattern().Match(text);
        if (!m.Success)
            throw new InvalidInputException($"Unknown type '{text.Trim()}'. Expected one of BOOLEAN, INT, BIGINT, FLOAT, DOUBLE, DECIMAL(p,s), STRING, BYTES, DATE, TIMESTAMP, optionally followed by NOT NULL.");
        var name = m.Groups["name"].Value.ToUpperInvariant();
        bool nullable = !m.Groups["notnull"].Success;
        DataTypeKind kind = name switch
        {
            "BOOLEAN" or "BOOL" => DataTypeKind.Boolean,
            "INT" or "INTEGER" => DataTypeKind.Int,
            "BIGINT" or "LONG" => DataTypeKind.BigInt,
            "FLOAT" or "REAL" => DataTypeKind.Float,
            "DOUBLE" => DataTypeKind.Double,
            "DECIMAL" or "NUMERIC" => DataTypeKind.Decimal,
            "STRING" or "VARCHAR" => DataTypeKind.String,
            "BYTES" or "BINARY" or "VARBINARY" => DataTypeKind.Bytes,
            "DATE" => DataTypeKind.Date,
            "TIMESTAMP" => DataTypeKind.Timestamp,
            _ => throw new InvalidInputException($"Unknown type '{name}'. Expected one of BOOLEAN, INT, BIGINT, FLOAT, DOUBLE, DECIMAL(p,s), STRING, BYTES, DATE, TIMESTAMP."),
        };
        if (kind != DataTypeKind.Decimal)
        {
            if (m.Groups["p"].Success)
                throw new InvalidInputException($"Type {name} takes no parameters: '{text.Trim()}'.");
            return new DataType(kind, nullable);
        }
        int p = m.Groups["p"].Success ? int.Parse(m.Groups["p"].Value, CultureInfo.InvariantCulture) : 10;
        int s = m.Groups["s"].Success ? int.Parse(m.Groups["s"].Value, CultureInfo.InvariantCulture) : 0;
        return Decimal(p, s, nullable);
    }

    public static DataType Decimal(int precision, int scale, bool nullable = true)
    {
        if (precision < 1 || precision > MaxDecimalPrecision)
            throw new InvalidInputException($"DECIMAL precision must be between 1 and {MaxDecimalPrecision}, got {precision}.");
        if (scale < 0 || scale > precision)
            throw new InvalidInputException($"DECIMAL scale must be between 0 and the precision ({precision}), got {scale}.");
        return new DataType(DataTypeKind.Decimal, nullable, precision, scale);
    }

    [GeneratedRegex(@"^\s*(?<name>[A-Za-z]+)\s*(\(\s*(?<p>\d+)\s*(,\s*(?<s>\d+)\s*)?\))?\s*(?<notnull>NOT\s+NULL)?\s*\z", RegexOptions.IgnoreCase)]
    private static partial Regex TypePattern();
}
