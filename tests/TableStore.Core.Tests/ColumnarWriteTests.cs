using TableStore.Core.Data;
using TableStore.Core.Scan;
using TableStore.Core.Schema;
using TableStore.Core.Table;
using TableStore.Core.Tests.Support;
using TableStore.Testing;
using Xunit.Abstractions;

namespace TableStore.Core.Tests;

/// <summary>
/// The write path holds rows column by column (typed arrays, non-key strings as UTF-8) and encodes runs from the
/// columns. Random schemas of every type, nullable or not, with one or two key columns of different types, take random
/// upserts and deletes, with values at the edges (empty, non-ASCII and supplementary-plane strings, a string longer than
/// the memtable's 1 MiB chunks, extreme numbers, nulls), through spills and row groups of 1,024 rows; every snapshot
/// reads back equal to a model that applies rows one at a time, and so does a full compaction of it all.
/// </summary>
public class ColumnarWriteTests(ITestOutputHelper output)
{
    private static readonly string[] Types = ["BOOLEAN", "INT", "BIGINT", "FLOAT", "DOUBLE", "DECIMAL(18,4)", "DATE", "TIMESTAMP", "STRING", "BYTES"];
    private static readonly string[] KeyTypes = ["BIGINT", "INT", "STRING", "DATE"];

    [Theory]
    [InlineData(71, "pk")]
    [InlineData(72, "pk")]
    [InlineData(73, "pk")]
    [InlineData(74, "append")]
    [InlineData(75, "pk")]
    [InlineData(76, "append")]
    public async Task Random_schemas_read_back_as_written(int seed, string kind)
    {
        await Seeded.RunAsync(output, $"seed {seed}, {kind}", () => Run(seed, kind == "pk"));
    }

    private static async Task Run(int seed, bool primaryKey)
    {
        var random = new Random(seed);
        int keyCount = primaryKey ? random.Next(1, 3) : 0;
        var columns = new List<string>();
        for (int k = 0; k < keyCount; k++) columns.Add($"k{k} {KeyTypes[random.Next(KeyTypes.Length)]} NOT NULL");
        for (int c = 0, n = random.Next(2, 7); c < n; c++)
            columns.Add($"c{c} {Types[random.Next(Types.Length)]}{(random.Next(3) == 0 ? " NOT NULL" : "")}");
        var fields = SchemaParser.ParseColumns(string.Join(", ", columns));
        var options = new Dictionary<string, string>
        {
            [CoreOptions.RowGroupRowsKey] = "1024",
            [CoreOptions.WriteBufferSizeKey] = $"{random.Next(64, 512)}kb", // several spills per write
            [CoreOptions.WriteOnlyKey] = random.Next(2) == 0 ? "true" : "false",
        };
        var keys = Enumerable.Range(0, keyCount).Select(k => $"k{k}").ToList();
        var table = await TestTables.CreateAsync(new InMemoryObjectStore(), new TableDefinition(fields, primaryKey ? keys : null, null, 2, options));

        var model = new Dictionary<string, object?[]>();
        var appended = new List<object?[]>();
        var states = new Dictionary<long, List<object?[]>>();
        var keyPool = Enumerable.Range(0, 3000).Select(_ => Enumerable.Range(0, keyCount).Select(k => Value(random, fields[k].Type, notNull: true)).ToArray()).ToList();
        for (int commit = 0; commit < 6; commit++)
        {
            var batch = new List<ChangeRow>();
            for (int i = 0, n = random.Next(500, 6000); i < n; i++)
            {
                var row = new object?[fields.Count];
                var key = keyPool[random.Next(keyPool.Count)];
                for (int f = 0; f < fields.Count; f++)
                    row[f] = f < keyCount ? key[f] : Value(random, fields[f].Type, !fields[f].Type.Nullable);
                var rowKind = primaryKey && random.Next(6) == 0 ? RowKind.Delete : RowKind.Insert;
                batch.Add(new ChangeRow(rowKind, row));
                if (!primaryKey) appended.Add((object?[])row.Clone());
                else if (rowKind == RowKind.Delete) model.Remove(KeyText(row, keyCount));
                else model[KeyText(row, keyCount)] = (object?[])row.Clone();
            }
            var result = await table.WriteAndCommitAsync(batch);
            states[result!.SnapshotId] = primaryKey ? [.. model.Values] : [.. appended];
        }
        // A full compaction copies the merged rows column by column into its row groups: every type again.
        if ((await table.CompactAsync(new CompactOptions { Full = true })).SnapshotId is { } compacted)
            states[compacted] = primaryKey ? [.. model.Values] : [.. appended];
        foreach (var (id, expected) in states)
        {
            var actual = await (await table.ScanAsync(new ScanOptions { SnapshotId = id })).ToListAsync();
            Assert.Equal(Canonical(expected), Canonical(actual));
        }
    }

    private static string KeyText(object?[] row, int keyCount) => string.Join("\u0001", row.Take(keyCount).Select(Values.Format));

    private static List<string> Canonical(IEnumerable<object?[]> rows) =>
        rows.Select(r => string.Join("|", r.Select(v => v is null ? "∅" : v is byte[] b ? Convert.ToHexString(b) : Values.Format(v))))
            .Order(StringComparer.Ordinal).ToList();

    private static object? Value(Random random, DataType type, bool notNull)
    {
        if (!notNull && random.Next(5) == 0) return null;
        return type.Kind switch
        {
            DataTypeKind.Boolean => random.Next(2) == 0,
            DataTypeKind.Int => random.Next(8) == 0 ? int.MinValue : random.Next(-1000, 1000),
            DataTypeKind.BigInt => random.Next(8) == 0 ? long.MaxValue : (long)random.Next(-100000, 100000),
            DataTypeKind.Float => (float)Math.Round(random.NextDouble() * 100, 2),
            DataTypeKind.Double => random.Next(8) == 0 ? double.Epsilon : random.NextDouble() * 1e6,
            DataTypeKind.Decimal => Math.Round((decimal)random.NextDouble() * 10000m, 4),
            DataTypeKind.Date => new DateOnly(2026, 1, 1).AddDays(random.Next(-400, 400)),
            DataTypeKind.Timestamp => new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMilliseconds(random.NextInt64(0, 86_400_000L * 30)),
            DataTypeKind.String => random.Next(12) switch
            {
                0 => "",
                1 => "Zoë — ünïcødé",
                2 => "emoji 😀 and 𝄞",
                3 when random.Next(200) == 0 => new string('x', (1 << 20) + 17), // longer than a chunk
                _ => $"s{random.Next(5000)}",
            },
            DataTypeKind.Bytes => random.Next(4) == 0 ? [] : BitConverter.GetBytes(random.Next()),
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
    }
}
