using TableStore.Abstractions;
using TableStore.Core.Data;

namespace TableStore.Service.Tests.Support;

internal static class Specs
{
    private static int s_next;

    /// <summary>A fresh table name per test, so tests can share one cluster.</summary>
    public static string NewTable(string prefix) => $"t.{prefix}_{Interlocked.Increment(ref s_next)}_{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>Every type, a two-column key (region is the partition).</summary>
    public static TableSpec AllTypes(int buckets) => new(
    [
        new("region", "STRING"), new("id", "BIGINT"), new("v", "BIGINT"), new("n", "INT"), new("note", "STRING"),
        new("amount", "DECIMAL(10,2)"), new("day", "DATE"), new("ts", "TIMESTAMP"), new("flag", "BOOLEAN"),
        new("payload", "BYTES"), new("score", "DOUBLE"), new("ratio", "FLOAT"),
    ], ["region", "id"], ["region"], buckets, new Dictionary<string, string>());

    public static object?[] AllTypesRow(string region, long id, long v) =>
    [
        region, id, v, (int)(v % 1000), v % 5 == 0 ? null : $"note {v}, \"quoted\"",
        Math.Round(v / 7m, 2), new DateOnly(2024, 1, 1).AddDays((int)(v % 365)),
        new DateTime(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc).AddMilliseconds(v), v % 2 == 0,
        v % 3 == 0 ? null : BitConverter.GetBytes(v), v / 3.0, (float)(v / 4.0),
    ];

    public static ChangeRow Upsert(object?[] values) => new(RowKind.Insert, values);

    public static ChangeRow Delete(object?[] values) => new(RowKind.Delete, values);
}
