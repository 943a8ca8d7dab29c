using DuckDB.NET.Data;
using TableStore.Core.Data;
using TableStore.Core.IO;
using TableStore.Core.Schema;
using TableStore.Core.Scan;
using TableStore.Core.Table;
using TableStore.Core.Tests.Support;

namespace TableStore.Core.Tests;

/// <summary>Data files are plain Parquet: DuckDB reads them and gets the same rows TableStore returns.</summary>
public class DuckDbInteropTests
{
    private const string AllTypes = "b BOOLEAN, i INT NOT NULL, l BIGINT, f FLOAT, d DOUBLE, m DECIMAL(12,3), s STRING, y BYTES, dt DATE, ts TIMESTAMP";

    [Fact]
    public async Task DuckDB_reads_an_append_only_tables_files_with_the_same_rows()
    {
        using var dir = new TempDir();
        var store = new LocalFileSystemObjectStore(dir.Path);
        var table = await new Catalog(store).CreateTableAsync(Identifier.Parse("db.events"),
            new TableDefinition(SchemaParser.ParseColumns(AllTypes), Buckets: 2));
        var random = new Random(42);
        for (int c = 0; c < 3; c++)
        {
            var rows = Enumerable.Range(0, 50).Select(k => new ChangeRow(RowKind.Insert, [
                random.Next(3) == 0 ? null : random.Next(2) == 0,
                c * 1000 + k,
                random.Next(4) == 0 ? null : random.NextInt64(long.MinValue / 2, long.MaxValue / 2),
                (float)Math.Round(random.NextDouble() * 100, 2),
                random.NextDouble() * 1e6,
                random.Next(4) == 0 ? null : Math.Round((decimal)random.NextDouble() * 1_000_000m, 3),
                random.Next(5) == 0 ? null : $"s-{random.Next(1000)}, \"quoted\" ü",
                random.Next(3) == 0 ? null : new[] { (byte)k, (byte)c, (byte)255 },
                new DateOnly(2020, 1, 1).AddDays(random.Next(2000)),
                new DateTime(2024, 3, 1, 12, 0, 0, DateTimeKind.Utc).AddTicks(random.NextInt64(0, TimeSpan.TicksPerDay * 30) / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond),
            ])).ToList();
            await table.WriteAndCommitAsync(rows);
        }

        var ours = await (await table.ScanAsync(new ScanOptions())).ToListAsync();
        var plan = await table.NewScan().PlanAsync(await table.Snapshots.LatestAsync(), null);
        var files = plan.Splits.SelectMany(s => s.Files.Select(f => Path.Combine(dir.Path, table.Paths.DataFile(table.Schema.PartitionKeys, s.Partition, s.Bucket, f.FileName)))).ToList();
        Assert.True(files.Count >= 3);

        using var conn = new DuckDBConnection("Data Source=:memory:");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = $"SELECT b, i, l, f, d, m, s, y, dt, ts FROM read_parquet([{string.Join(", ", files.Select(f => $"'{f}'"))}]) ORDER BY i";
        using var reader = cmd.ExecuteReader();
        var theirs = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[10];
            for (int i = 0; i < 10; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            if (row[7] is Stream blob) { using var ms = new MemoryStream(); blob.CopyTo(ms); row[7] = ms.ToArray(); }
            if (row[9] is DateTime t) row[9] = DateTime.SpecifyKind(t, DateTimeKind.Utc);
            theirs.Add(row);
        }

        // Filters in DuckDB use the files' footer statistics: they must agree with ours.
        using (var filter = conn.CreateCommand())
        {
            filter.CommandText = $"SELECT count(*) FROM read_parquet([{string.Join(", ", files.Select(f => $"'{f}'"))}]) WHERE ts >= TIMESTAMP '2024-03-15 00:00:00' AND dt < DATE '2023-01-01'";
            var duck = Convert.ToInt64(filter.ExecuteScalar());
            var mine = (await (await table.ScanAsync(new ScanOptions { Filter = "ts >= '2024-03-15 00:00:00' AND dt < '2023-01-01'" })).ToListAsync()).Count;
            Assert.True(mine > 0);
            Assert.Equal(mine, duck);
        }

        var expected = ours.OrderBy(r => (int)r[1]!).ToList();
        Assert.Equal(expected.Count, theirs.Count);
        for (int r = 0; r < expected.Count; r++)
            for (int c = 0; c < 10; c++)
                Assert.True(Values.ValueEquals(expected[r][c], Normalize(theirs[r][c], c)),
                    $"row {r} column {c}: TableStore {Values.Format(expected[r][c])}, DuckDB {Values.Format(theirs[r][c])} ({theirs[r][c]?.GetType().Name})");
    }

    [Fact]
    public async Task DuckDB_reproduces_the_primary_key_merge_from_the_system_columns()
    {
        using var dir = new TempDir();
        var store = new LocalFileSystemObjectStore(dir.Path);
        var table = await TestTables.CreateAsync(store, TestTables.Orders(buckets: 1));
        await table.WriteAndCommitAsync([new(RowKind.Insert, [1L, "a", 1m, null]), new(RowKind.Insert, [2L, "b", 2m, null])]);
        await table.WriteAndCommitAsync([new(RowKind.UpdateAfter, [1L, "a", 5m, null]), new(RowKind.Delete, [2L, null, null, null]), new(RowKind.Insert, [3L, "c", 3m, null])]);

        var plan = await table.NewScan().PlanAsync(await table.Snapshots.LatestAsync(), null);
        var files = plan.Splits.SelectMany(s => s.Files.Select(f => Path.Combine(dir.Path, table.Paths.DataFile([], s.Partition, s.Bucket, f.FileName))));
        using var conn = new DuckDBConnection("Data Source=:memory:");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = $"""
            SELECT id, amount FROM (
              SELECT *, row_number() OVER (PARTITION BY id ORDER BY _SEQUENCE_NUMBER DESC) AS rn
              FROM read_parquet([{string.Join(", ", files.Select(f => $"'{f}'"))}]))
            WHERE rn = 1 AND _VALUE_KIND IN (0, 2) ORDER BY id
            """;
        using var reader = cmd.ExecuteReader();
        var rows = new List<(long, decimal)>();
        while (reader.Read()) rows.Add((reader.GetInt64(0), reader.GetDecimal(1)));
        Assert.Equal([(1L, 5m), (3L, 3m)], rows);
    }

    private static object? Normalize(object? v, int column) => (v, column) switch
    {
        (DateTime d, 8) => DateOnly.FromDateTime(d),
        _ => v,
    };
}
