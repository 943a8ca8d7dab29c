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
        BigInteger or Int128 or UInt128 => Convert.ToString(value, CultureInfo.InvariantCulture),
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        Guid g => g.ToString(),
        IEnumerable => JsonSerializer.Serialize(value),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

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
