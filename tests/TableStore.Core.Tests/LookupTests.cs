using TableStore.Core.Data;
using TableStore.Core.Lookup;
using TableStore.Core.Schema;
using TableStore.Core.Table;
using TableStore.Core.Tests.Support;

namespace TableStore.Core.Tests;

/// <summary>
/// Point lookups checked against a model: random upserts and deletes over many small files, levels of overlap and
/// partitions; after every commit, present, deleted and never-written keys answer as the model did at that
/// snapshot, at every older snapshot too (time travel), and with a cache too small to hold anything.
/// </summary>
public sealed class LookupTests
{
    private static readonly Dictionary<string, string> ManyFiles = new()
    {
        [CoreOptions.WriteBufferSizeKey] = "4 kb",
        [CoreOptions.TargetFileSizeKey] = "2 kb",
    };

    private static TableDefinition Definition(int buckets) => new(
        SchemaParser.ParseColumns("region STRING, id BIGINT, amount DECIMAL(10,2), note STRING, day DATE"),
        PrimaryKeys: ["region", "id"], PartitionKeys: ["region"], Buckets: buckets, Options: ManyFiles);

    [Theory]
    [InlineData(1, 3, 64L << 20)]
    [InlineData(2, 1, 64L << 20)]
    [InlineData(3, 4, 0L)]       // no data cached: every lookup decodes, bloom filters still skip
    [InlineData(4, 2, 20_000L)]  // constant eviction
    public async Task Lookups_match_the_model_at_every_snapshot(int seed, int buckets, long cacheBytes)
    {
        var table = await TestTables.CreateAsync(new InMemoryObjectStore(), Definition(buckets));
        var cache = new LookupFileCache(cacheBytes);
        var lookup = new TableLookup(table, cache);
        var random = new Random(seed);
        var model = new Dictionary<(string, long), object?[]>();
        var history = new List<(long Snapshot, Dictionary<(string, long), object?[]> State)>();
        string[] regions = ["eu", "us", "ap"];
        for (int commit = 0; commit < 12; commit++)
        {
            var rows = new List<ChangeRow>();
            for (int i = random.Next(1, 120); i > 0; i--)
            {
                var key = (regions[random.Next(regions.Length)], (long)random.Next(150));
                if (random.Next(4) == 0)
                {
                    rows.Add(new ChangeRow(RowKind.Delete, [key.Item1, key.Item2, null, null, null]));
                    model.Remove(key);
                }
                else
                {
                    object?[] values = [key.Item1, key.Item2, Math.Round((decimal)random.NextDouble() * 1000, 2), random.Next(3) == 0 ? null : $"n{random.Next()}", new DateOnly(2024, 1, 1).AddDays(random.Next(300))];
                    rows.Add(new ChangeRow(random.Next(2) == 0 ? RowKind.Insert : RowKind.UpdateAfter, (object?[])values.Clone()));
                    model[key] = values;
                }
            }
            var result = await table.WriteAndCommitAsync(rows);
            history.Add((result!.SnapshotId, new Dictionary<(string, long), object?[]>(model)));

            foreach (var (snapshot, state) in history)
                for (int probe = 0; probe < 40; probe++)
                {
                    var key = (regions[random.Next(regions.Length)], (long)random.Next(160));
                    var found = await lookup.LookupAsync([key.Item1, key.Item2], snapshot);
                    Assert.Equal(snapshot, found.Snapshot!.Id);
                    Assert.Equal(state.GetValueOrDefault(key), found.Row);
                }
        }
        // Latest = the model, for every key ever written and some never written.
        for (long id = 0; id < 160; id++)
            foreach (var region in regions)
                Assert.Equal(model.GetValueOrDefault((region, id)), (await lookup.LookupAsync([region, id])).Row);
        Assert.True(cache.BloomSkips > 0, "bloom filters never skipped a file");
        if (cacheBytes == 0) Assert.Equal(0, cache.Hits);
        if (cacheBytes == 20_000L) Assert.True(cache.Evictions > 0);
    }

    [Fact]
    public async Task Lookups_agree_with_a_full_scan_and_with_concurrent_callers()
    {
        var table = await TestTables.CreateAsync(new InMemoryObjectStore(), Definition(3));
        var random = new Random(9);
        for (int c = 0; c < 5; c++)
            await table.WriteAndCommitAsync(Enumerable.Range(0, 200).Select(_ => new ChangeRow(RowKind.Insert,
                [random.Next(2) == 0 ? "eu" : "us", (long)random.Next(300), 1.5m, "x", new DateOnly(2024, 2, 2)])).ToList());
        var scanned = await (await table.ScanAsync(new Scan.ScanOptions())).ToListAsync();
        var lookup = new TableLookup(table, new LookupFileCache(1L << 20));
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            foreach (var row in scanned.Skip(t).Where((_, i) => i % 2 == 0))
                Assert.Equal(row, (await lookup.LookupAsync([row[0], row[1]])).Row);
        })));
    }

    [Fact]
    public async Task An_empty_table_and_a_missing_snapshot_answer_clearly()
    {
        var table = await TestTables.CreateAsync(new InMemoryObjectStore(), Definition(2));
        var lookup = new TableLookup(table, new LookupFileCache(1 << 20));
        var empty = await lookup.LookupAsync(["eu", 1L]);
        Assert.Null(empty.Snapshot);
        Assert.Null(empty.Row);
        await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, ["eu", 1L, 2m, null, null])]);
        await Assert.ThrowsAsync<SnapshotNotFoundException>(() => lookup.LookupAsync(["eu", 1L], 9));
        var found = await lookup.LookupAsync(["eu", 1]); // an int for a BIGINT column is widened
        Assert.Equal(2.00m, found.Row![2]);
    }

    [Fact]
    public async Task Append_only_tables_have_no_lookups()
    {
        var table = await TestTables.CreateAsync(new InMemoryObjectStore(), new TableDefinition(SchemaParser.ParseColumns("a INT")));
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => new TableLookup(table, new LookupFileCache(0)).LookupAsync([1]));
        Assert.Contains("no primary key", e.Message);
    }

    [Fact]
    public void Keys_parse_from_text_with_types_quotes_and_clear_errors()
    {
        var schema = new TableSchema(0, SchemaParser.ParseColumns("id BIGINT, note STRING, day DATE, amount DECIMAL(10,2), at TIMESTAMP, n INT, v STRING"),
            ["id", "note", "day", "amount", "at", "n"]);
        var key = LookupKeys.ParseKey(schema, "note='a,b''c', ID=7, day=2024-05-01,amount=1.5, at=2024-05-01 10:00:00.250, n=-3");
        Assert.Equal(new object?[] { 7L, "a,b'c", new DateOnly(2024, 5, 1), 1.50m, new DateTime(2024, 5, 1, 10, 0, 0, 250, DateTimeKind.Utc), -3 }, key);

        void Fails(string text, string expected)
        {
            var e = Assert.Throws<InvalidInputException>(() => LookupKeys.ParseKey(schema, text));
            Assert.Contains(expected, e.Message);
        }
        Fails("id=1,note=a,day=2024-05-01,amount=1,at=2024-05-01,n=1,nope=2", "'nope' is not a column");
        Fails("id=1,note=a,day=2024-05-01,amount=1,at=2024-05-01,n=1,v=2", "'v' is not a primary-key column");
        Fails("id=1,note=a", "missing primary-key columns day, amount, at, n");
        Fails("id=1,id=2,note=a,day=2024-05-01,amount=1,at=2024-05-01,n=1", "'id' is given twice");
        Fails("id=x,note=a,day=2024-05-01,amount=1,at=2024-05-01,n=1", "column 'id': 'x' is not a valid BIGINT");
        Fails("id=1,note='a", "not closed");
        Fails("id", "expected col=value");
        Fails("  ", "empty");
        var typed = LookupKeys.TypeKey(schema, [7, "x", new DateOnly(2024, 1, 1), 2, new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), 1]);
        Assert.Equal(7L, typed[0]);
        Assert.Throws<InvalidInputException>(() => LookupKeys.TypeKey(schema, [null, "x", null, null, null, null]));
        Assert.Throws<InvalidInputException>(() => LookupKeys.TypeKey(schema, [1L]));
    }
}
