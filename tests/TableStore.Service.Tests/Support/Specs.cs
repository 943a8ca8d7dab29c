using TableStore.Core.Data;
using TableStore.Core.Schema;
using TableStore.Core.Table;

namespace TableStore.Service.Tests.Support;

internal static class Specs
{
    private static int s_next;

    /// <summary>A fresh table name per test, so tests can share one cluster.</summary>
    public static string NewTable(string prefix) => $"t.{prefix}_{Interlocked.Increment(ref s_next)}_{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>Every type, a two-column key (region is the partition).</summary>
    public static TableDefinition AllTypes(int buckets) => Table(
        "region STRING, id BIGINT, v BIGINT, n INT, note STRING, amount DECIMAL(10,2), day DATE, ts TIMESTAMP, flag BOOLEAN, payload BYTES, score DOUBLE, ratio FLOAT",
        ["region", "id"], ["region"], buckets);

    /// <summary>A table of <paramref name="columns"/> as the CLI takes them (<c>id BIGINT NOT NULL, v STRING</c>).</summary>
    public static TableDefinition Table(string columns, IReadOnlyList<string> primaryKeys, IReadOnlyList<string> partitionKeys, int buckets,
        IReadOnlyDictionary<string, string>? options = null) =>
        new(SchemaParser.ParseColumns(columns), primaryKeys, partitionKeys, buckets, options);

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
