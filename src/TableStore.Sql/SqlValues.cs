using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace TableStore.Sql;

/// <summary>
/// DuckDB's result values as the engine's value types (long, int, double, decimal, string, bool, byte[], DateOnly,
/// DateTime), so formatters print them as <c>scan</c> does and they cross the wire like scan rows. What has no
/// engine type becomes text: huge integers, intervals, UUIDs, and lists, maps and structs (as JSON).
/// </summary>
public static class SqlValues
{
    public static object? ToEngine(object? value) => value switch
    {
        null or DBNull => null,
        long or int or double or float or decimal or string or bool or byte[] or DateOnly or DateTime => value,
        short s => (int)s,
        sbyte b => (int)b,
        byte b => (int)b,
        ushort u => (int)u,
        uint u => (long)u,
        ulong u => (decimal)u,
        Stream blob => ReadAll(blob),
        DateTimeOffset t => t.UtcDateTime,
        BigInteger big => Whole(big),
        Int128 i => Whole(i),
        UInt128 u => Whole(u),
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        Guid g => g.ToString(),
        IEnumerable => JsonSerializer.Serialize(value),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    /// <summary>A huge integer (DuckDB's HUGEINT: sums of BIGINTs) as the smallest engine type that holds it: long, decimal, else text.</summary>
    private static object Whole(BigInteger value) =>
        value >= long.MinValue && value <= long.MaxValue ? (long)value
        : value >= (BigInteger)decimal.MinValue && value <= (BigInteger)decimal.MaxValue ? (decimal)value
        : value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Whether a DuckDB result column holds numbers (right-aligned in grids).</summary>
    public static bool IsNumber(Type t) =>
        t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(sbyte) || t == typeof(byte) || t == typeof(ushort) || t == typeof(uint) || t == typeof(ulong)
        || t == typeof(float) || t == typeof(double) || t == typeof(decimal) || t == typeof(BigInteger) || t == typeof(Int128) || t == typeof(UInt128);

    private static byte[] ReadAll(Stream blob)
    {
        using var copy = new MemoryStream();
        blob.CopyTo(copy);
        return copy.ToArray();
    }
}
