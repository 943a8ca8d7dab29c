using TableStore.Core.Data;
using TableStore.Core.Scan;
using TableStore.Core.Schema;
using TableStore.Core.Table;
using TableStore.Core.Tests.Support;

namespace TableStore.Core.Tests;

public class PredicateTests
{
    private static readonly TableSchema Schema = new(0,
        SchemaParser.ParseColumns("id BIGINT, name STRING, amount DECIMAL(10,2), day DATE, ok BOOLEAN, score DOUBLE"), ["id"]);

    private static readonly object?[][] Rows =
    [
        [1L, "ann", 10.50m, new DateOnly(2024, 1, 1), true, 1.5],
        [2L, "bob", null, new DateOnly(2024, 2, 1), false, null],
        [3L, "o'neil", 99.99m, new DateOnly(2024, 3, 1), null, -2.0],
        [4L, null, 0m, new DateOnly(2024, 4, 1), true, 0.0],
    ];

    [Theory]
    [InlineData("id = 1", new long[] { 1 })]
    [InlineData("id == 1", new long[] { 1 })]
    [InlineData("id != 1", new long[] { 2, 3, 4 })]
    [InlineData("id <> 1", new long[] { 2, 3, 4 })]
    [InlineData("id < 3", new long[] { 1, 2 })]
    [InlineData("id <= 3", new long[] { 1, 2, 3 })]
    [InlineData("id > 3", new long[] { 4 })]
    [InlineData("id >= 3", new long[] { 3, 4 })]
    [InlineData("id IN (1, 4, 9)", new long[] { 1, 4 })]
    [InlineData("id NOT IN (1, 4)", new long[] { 2, 3 })]
    [InlineData("amount IS NULL", new long[] { 2 })]
    [InlineData("amount IS NOT NULL", new long[] { 1, 3, 4 })]
    [InlineData("amount > 10", new long[] { 1, 3 })]
    [InlineData("amount != 0", new long[] { 1, 3 })]
    [InlineData("NOT amount > 10", new long[] { 4 })]
    [InlineData("name = 'o''neil'", new long[] { 3 })]
    [InlineData("day >= '2024-02-01' AND day < '2024-04-01'", new long[] { 2, 3 })]
    [InlineData("ok = true OR score < 0", new long[] { 1, 3, 4 })]
    [InlineData("NOT (ok = true OR score < 0)", new long[] { })] // row 2: NOT (false OR unknown) is unknown
    [InlineData("not (id = 1) and (name is null or name = 'bob')", new long[] { 2, 4 })]
    [InlineData("score >= -2.0e0 AND score < 1", new long[] { 3, 4 })]
    [InlineData("amount < 10.505", new long[] { 1, 4 })]
    [InlineData("amount = 10.501", new long[] { })]
    public void Filters_rows_with_three_valued_logic(string filter, long[] expected)
    {
        var p = PredicateParser.Parse(filter, Schema);
        Assert.Equal(expected, Rows.Where(p.Matches).Select(r => (long)r[0]!));
    }

    [Theory]
    [InlineData("amount >", "expected a value")]
    [InlineData("nosuch = 1", "unknown column 'nosuch'")]
    [InlineData("id = 'x'", "not a valid BIGINT")]
    [InlineData("name = 5", "quote the value")]
    [InlineData("day = '2024-13-01'", "not a valid DATE")]
    [InlineData("id = NULL", "IS NULL")]
    [InlineData("id = 1 AND", "expected a column name")]
    [InlineData("(id = 1", "expected ')'")]
    [InlineData("id IN (1, 2", "')' to close")]
    [InlineData("name = 'open", "unterminated string")]
    [InlineData("id ! 1", "'!' must be followed by '='")]
    [InlineData("id = 1 id = 2", "unexpected 'id'")]
    [InlineData("", "empty")]
    [InlineData("id ~ 1", "unexpected character '~'")]
    public void Invalid_filters_say_what_and_where(string filter, string message)
    {
        var e = Assert.Throws<InvalidInputException>(() => PredicateParser.Parse(filter, Schema));
        Assert.Contains(message, e.Message);
        Assert.Contains("Invalid filter", e.Message);
    }

    [Fact]
    public void Stats_pruning_is_conservative()
    {
        ColumnRange Range(int f) => f == 0 ? new ColumnRange(10L, 20L, 0, 100) : f == 2 ? new ColumnRange(null, null, 100, 100) : ColumnRange.Unknown;
        bool Might(string filter) => PredicateParser.Parse(filter, Schema).MightMatch(Range);
        Assert.True(Might("id = 10"));
        Assert.True(Might("id = 20"));
        Assert.False(Might("id = 21"));
        Assert.False(Might("id < 10"));
        Assert.True(Might("id <= 10"));
        Assert.False(Might("id > 20"));
        Assert.False(Might("id IN (1, 2, 30)"));
        Assert.True(Might("id IN (1, 15)"));
        Assert.False(Might("NOT id >= 10"));
        Assert.False(Might("amount > 0"));
        Assert.True(Might("amount IS NULL"));
        Assert.False(Might("amount IS NOT NULL"));
        Assert.True(Might("name = 'zzz'"));
        Assert.False(Might("id = 1 AND name = 'x'"));
        Assert.True(Might("id = 1 OR name = 'x'"));
    }

    [Fact]
    public async Task Pruning_skips_files_and_partitions_without_changing_results()
    {
        var store = new InMemoryObjectStore();
        var table = await TestTables.CreateAsync(store, new TableDefinition(
            SchemaParser.ParseColumns("id BIGINT, region STRING, amount INT"), ["id", "region"], ["region"], 1));
        for (int c = 0; c < 4; c++)
            await table.WriteAndCommitAsync(Enumerable.Range(c * 100, 100)
                .Select(i => new ChangeRow(RowKind.Insert, [(long)i, i % 2 == 0 ? "eu" : "us", i])).ToList());

        var all = await table.ScanAsync(new ScanOptions());
        Assert.Equal(8, all.Plan.TotalFiles);
        Assert.Equal(0, all.Plan.SkippedFiles);

        var byPartition = await table.ScanAsync(new ScanOptions { Filter = "region = 'eu'" });
        Assert.Equal(4, byPartition.Plan.SkippedFiles);
        Assert.Equal(200, (await byPartition.ToListAsync()).Count);

        var byKey = await table.ScanAsync(new ScanOptions { Filter = "id >= 150 AND id < 160" });
        Assert.Equal(6, byKey.Plan.SkippedFiles);
        Assert.Equal(Enumerable.Range(150, 10).Select(i => (long)i), (await byKey.ToListAsync()).Select(r => (long)r[0]!).Order());

        // Value columns of a primary-key table never prune: a newer version of a key may live in another file.
        var byValue = await table.ScanAsync(new ScanOptions { Filter = "amount = 5" });
        Assert.Equal(0, byValue.Plan.SkippedFiles);
        Assert.Single(await byValue.ToListAsync());
    }

    [Fact]
    public async Task Value_stats_prune_append_only_tables()
    {
        var table = await TestTables.CreateAsync(new InMemoryObjectStore(), new TableDefinition(SchemaParser.ParseColumns("ts BIGINT, msg STRING"),
            Options: new Dictionary<string, string> { [CoreOptions.WriteOnlyKey] = "true" })); // five files to prune
        for (int c = 0; c < 5; c++)
            await table.WriteAndCommitAsync(Enumerable.Range(c * 10, 10).Select(i => new ChangeRow(RowKind.Insert, [(long)i, $"m{i}"])).ToList());
        var scan = await table.ScanAsync(new ScanOptions { Filter = "ts > 41" });
        Assert.Equal(4, scan.Plan.SkippedFiles);
        Assert.Equal(8, (await scan.ToListAsync()).Count);
    }
}
