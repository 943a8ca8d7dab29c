using TableStore.Core.Data;
using TableStore.Core.Lookup;
using TableStore.Core.Scan;
using TableStore.Core.Schema;
using TableStore.Core.Table;
using TableStore.Core.Tests.Support;
using Xunit.Abstractions;

namespace TableStore.Core.Tests;

/// <summary>
/// Every merge engine against a model that applies rows one at a time, in order, with the engine's documented
/// rules. The table flushes tiny memtables and compacts (by trigger and fully) at random, so the engine's
/// merges run on arbitrary groupings of versions: only an associative merge passes. Every snapshot is
/// re-read, and every key is looked up.
/// </summary>
public class MergeEngineTests(ITestOutputHelper output)
{
    private const string Columns = "id BIGINT, a INT, b STRING, g INT, c INT, ts BIGINT";
    private const int A = 1, B = 2, G = 3, C = 4, Ts = 5;

    public static TheoryData<string, int> Cases => new()
    {
        { "partial-update", 41 }, { "partial-update", 42 },
        { "aggregation", 43 }, { "aggregation", 44 },
        { "aggregation-retract", 45 }, { "aggregation-retract", 46 },
        { "first-row", 47 }, { "first-row", 48 },
        { "sequence-field", 49 }, { "sequence-field", 69 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Merge_engine_matches_its_model(string engine, int seed)
    {
        await Seeded.RunAsync(output, $"{engine}, seed {seed}", () => Run(engine, seed, rowGroups: false));
    }

    public static TheoryData<string, int> RowGroupCases => new()
    {
        { "deduplicate", 61 }, { "deduplicate", 62 }, { "partial-update", 63 }, { "aggregation", 64 },
        { "aggregation-retract", 65 }, { "first-row", 66 }, { "sequence-field", 69 },
    };

    /// <summary>
    /// Files of thousands of rows in row groups of 1,024, and up to a dozen runs per bucket (more than the merge's
    /// linear scan handles, so its heap too): scans and compactions merge a row group per file at a time, and a key's
    /// versions meet across row-group boundaries of different files.
    /// </summary>
    [Theory]
    [MemberData(nameof(RowGroupCases))]
    public async Task Merge_engine_matches_its_model_across_row_groups(string engine, int seed)
    {
        await Seeded.RunAsync(output, $"{engine}, seed {seed}, row groups", () => Run(engine, seed, rowGroups: true));
    }

    private static Dictionary<string, string> Options(string engine) => engine switch
    {
        "partial-update" => new() { ["merge-engine"] = "partial-update", ["fields.g.sequence-group"] = "c" },
        "aggregation" => new()
        {
            ["merge-engine"] = "aggregation", ["fields.a.aggregate-function"] = "sum", ["fields.b.aggregate-function"] = "max",
            ["fields.g.aggregate-function"] = "min", ["fields.c.aggregate-function"] = "count", ["aggregation.remove-record-on-delete"] = "true",
            // ts: the default, last_non_null_value
        },
        "aggregation-retract" => new()
        {
            ["merge-engine"] = "aggregation", ["fields.default-aggregate-function"] = "sum", ["fields.b.aggregate-function"] = "count",
            ["fields.c.aggregate-function"] = "count",
        },
        "first-row" => new() { ["merge-engine"] = "first-row", ["ignore-delete"] = "true" },
        "sequence-field" => new() { ["sequence.field"] = "ts" },
        "deduplicate" => [],
        _ => throw new ArgumentException(engine),
    };

    private static RowKind[] Kinds(string engine) => engine switch
    {
        "aggregation" => [RowKind.Insert, RowKind.UpdateAfter, RowKind.Insert, RowKind.Delete],
        _ => [RowKind.Insert, RowKind.UpdateAfter, RowKind.UpdateBefore, RowKind.Delete],
    };

    private static async Task Run(string engine, int seed, bool rowGroups)
    {
        var random = new Random(seed);
        var options = Options(engine);
        options[CoreOptions.WriteBufferSizeKey] = rowGroups ? "8mb" : "1kb";
        options[CoreOptions.TargetFileSizeKey] = rowGroups ? "8mb" : "1kb";
        options[CoreOptions.RowGroupRowsKey] = "1024";
        options[CoreOptions.CompactionTriggerKey] = rowGroups ? "12" : "3";
        options[CoreOptions.ManifestMergeMinCountKey] = "5";
        int keys = rowGroups ? 6000 : 25, commits = rowGroups ? 16 : 30, maxRows = rowGroups ? 5000 : 40;
        long maxRuns = 0, largestFile = 0;
        var table = await TestTables.CreateAsync(new InMemoryObjectStore(),
            new TableDefinition(SchemaParser.ParseColumns(engine == "aggregation-retract" ? "id BIGINT, a INT, b BIGINT, g INT, c BIGINT, ts BIGINT" : Columns), ["id"], null, 2, options));
        var model = new EngineModel(engine);
        var states = new Dictionary<long, Dictionary<long, object?[]>>();
        var kinds = Kinds(engine);

        for (int commit = 0; commit < commits; commit++)
        {
            var batch = new List<ChangeRow>();
            for (int i = 0, n = random.Next(1, maxRows); i < n; i++)
            {
                var kind = kinds[random.Next(kinds.Length)];
                long id = random.Next(0, keys);
                object?[] row = engine == "aggregation-retract"
                    ? [id, Maybe(random, random.Next(-50, 50)), Maybe(random, (long)random.Next(100)), Maybe(random, random.Next(100)), Maybe(random, (long)random.Next(5)), Maybe(random, (long)random.Next(1000))]
                    : [id, Maybe(random, random.Next(-50, 50)), Maybe(random, $"s{random.Next(100)}"), Maybe(random, random.Next(10)), Maybe(random, random.Next(100)), Maybe(random, (long)random.Next(20))];
                if (engine == "sequence-field") row[Ts] ??= (long)random.Next(20); // every version orders by ts, deletes included
                batch.Add(new ChangeRow(kind, row));
                model.Apply(kind, (object?[])row.Clone());
            }
            // Null when the engine dropped every row (first-row with ignore-delete): nothing to commit.
            if (await table.WriteAndCommitAsync(batch) is not { } result) continue;
            states[result.SnapshotId] = model.Copy();
            if (result.Compaction?.SnapshotId is { } c) states[c] = model.Copy();
            if (random.Next(rowGroups ? 8 : 5) == 0 && (await table.CompactAsync(new CompactOptions { Full = true })).SnapshotId is { } f) states[f] = model.Copy();
            AssertSame(model.Rows, await (await table.ScanAsync(new ScanOptions())).ToListAsync(), $"{engine} after commit {commit}");
            if (rowGroups)
            {
                var files = (await table.NewScan().PlanAsync(await table.Snapshots.LatestAsync(), null)).Splits.Select(s => s.Files).ToList();
                maxRuns = Math.Max(maxRuns, files.Max(f => f.Count));
                largestFile = Math.Max(largestFile, files.SelectMany(f => f).Max(f => f.RowCount));
            }
        }
        if (rowGroups)
        {
            Assert.True(maxRuns > 8, $"at most {maxRuns} runs in a bucket: the heap was not used");
            Assert.True(largestFile > 1024, $"the largest file has {largestFile} rows: one row group");
        }
        foreach (var (id, state) in states)
            AssertSame(state, await (await table.ScanAsync(new ScanOptions { SnapshotId = id })).ToListAsync(), $"{engine} snapshot {id}");
        var lookup = new TableLookup(table, new LookupFileCache(1 << 20));
        for (long id = 0; id < keys; id += rowGroups ? 7 : 1)
            Assert.Equal(model.Rows.GetValueOrDefault(id), (await lookup.LookupAsync([id])).Row);
    }

    [Theory]
    [InlineData("merge-engine=aggregation;fields.a.aggregate-function=median", "Unknown aggregate function 'median' for column 'a'")]
    [InlineData("merge-engine=aggregation;fields.b.aggregate-function=sum", "Aggregate function 'sum' does not apply to column 'b' of type STRING")]
    [InlineData("fields.a.aggregate-function=sum", "needs merge-engine=aggregation")]
    [InlineData("merge-engine=partial-update;fields.x.sequence-group=a", "names 'x', which is not a column")]
    [InlineData("sequence.field=id", "names primary-key column 'id'")]
    [InlineData("merge-engine=first-row;aggregation.remove-record-on-delete=true", "needs merge-engine=aggregation")]
    [InlineData("merge-engine=partial-update;fields.g.sequence-group=c;fields.ts.sequence-group=c", "more than one sequence group")]
    [InlineData("merge-engine=last-one", "supported: deduplicate, partial-update, aggregation, first-row")]
    [InlineData("merge-engine=partial-update;sequence.field=ts", "cannot order a partial-update table; use sequence groups")]
    [InlineData("merge-engine=aggregation;sequence.field=ts;fields.a.aggregate-function=sum", "order-dependent function last_non_null_value (column 'b')")]
    public void Bad_merge_engine_options_are_rejected_with_the_reason(string options, string message)
    {
        var dict = options.Split(';').Select(o => o.Split('=')).ToDictionary(kv => kv[0], kv => kv[1]);
        var e = Assert.Throws<InvalidInputException>(() => new TableSchema(0, SchemaParser.ParseColumns(Columns), ["id"], null, 1, dict));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Sequence_field_works_with_order_independent_aggregates()
    {
        var schema = new TableSchema(0, SchemaParser.ParseColumns("id BIGINT, total INT, ts BIGINT"), ["id"], null, 1,
            new Dictionary<string, string> { ["merge-engine"] = "aggregation", ["sequence.field"] = "ts", ["fields.default-aggregate-function"] = "max" });
        Assert.Equal([2], schema.MergeSpec.SequenceFields);
    }

    [Fact]
    public async Task Merge_options_are_fixed_once_the_table_holds_data()
    {
        var catalog = new Catalog(new InMemoryObjectStore());
        var id = TableStore.Core.Table.Identifier.Parse("db.t");
        await catalog.CreateTableAsync(id, new TableDefinition(SchemaParser.ParseColumns("id BIGINT, c INT"), ["id"], null, 1));
        // Empty: anything goes.
        var t = await catalog.AlterTableAsync(id, [new SchemaChange.SetOption("merge-engine", "aggregation"), new SchemaChange.SetOption("fields.c.aggregate-function", "sum")]);
        await t.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [1L, 5])]);
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => catalog.AlterTableAsync(id, [new SchemaChange.SetOption("fields.c.aggregate-function", "count")]));
        Assert.Equal("Table option 'fields.c.aggregate-function' cannot change once the table holds data: stored rows were merged under it. Create a new table and copy the data.", e.Message);
        await Assert.ThrowsAsync<InvalidInputException>(() => catalog.AlterTableAsync(id, [new SchemaChange.RemoveOption("merge-engine")]));
        // Other options still change, and renaming the column carries its function along.
        await catalog.AlterTableAsync(id, [new SchemaChange.SetOption("target-file-size", "64mb"), new SchemaChange.RenameColumn("c", "total")]);
        Assert.Equal("sum", (await catalog.GetTableAsync(id)).Schema.Options["fields.total.aggregate-function"]);
    }

    [Fact]
    public void Partial_update_needs_nullable_value_columns()
    {
        var e = Assert.Throws<InvalidInputException>(() => new TableSchema(0, SchemaParser.ParseColumns("id BIGINT, a INT NOT NULL"), ["id"], null, 1,
            new Dictionary<string, string> { ["merge-engine"] = "partial-update" }));
        Assert.Equal("Column 'a' is NOT NULL, but a partial-update table leaves unset columns null: declare it nullable.", e.Message);
    }

    [Theory]
    [InlineData("merge-engine=first-row", "-D", "the first-row merge engine keeps the first row of a key and cannot take -D rows; set ignore-delete=true to drop them")]
    [InlineData("merge-engine=aggregation;fields.a.aggregate-function=max", "-U", "aggregate function max of column 'a' cannot retract a -U row")]
    [InlineData("sequence.field=ts", "-D", "a -D row must carry the sequence field 'ts'")]
    public async Task Rows_an_engine_cannot_take_fail_the_write_and_nothing_is_committed(string options, string kind, string message)
    {
        var dict = options.Split(';').Select(o => o.Split('=')).ToDictionary(kv => kv[0], kv => kv[1]);
        var table = await TestTables.CreateAsync(new InMemoryObjectStore(), new TableDefinition(SchemaParser.ParseColumns(Columns), ["id"], null, 1, dict));
        var rows = new List<ChangeRow>
        {
            new(RowKind.Insert, [1L, 1, "x", 1, 1, 1L]),
            new(RowKindExtensions.TryParse(kind, out var k) ? k : throw new ArgumentException(kind), [1L, 1, null, null, null, null]),
        };
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => table.WriteAndCommitAsync(rows));
        Assert.Contains(message, e.Message);
        Assert.Null(await table.Snapshots.LatestIdAsync());
    }

    private static object? Maybe(Random random, object value) => random.Next(4) == 0 ? null : value;

    private static void AssertSame(IReadOnlyDictionary<long, object?[]> expected, List<object?[]> actual, string context)
    {
        Assert.True(expected.Count == actual.Count, $"{context}: expected {expected.Count} rows, got {actual.Count}");
        foreach (var row in actual)
        {
            var id = (long)row[0]!;
            Assert.True(expected.TryGetValue(id, out var want), $"{context}: unexpected key {id}");
            Assert.True(want.SequenceEqual(row), $"{context}: key {id}: expected [{string.Join(", ", want.Select(Values.Format))}], got [{string.Join(", ", row.Select(Values.Format))}]");
        }
    }

    /// <summary>The engines' rules, applied to one row at a time in arrival order.</summary>
    private sealed class EngineModel(string engine)
    {
        private readonly Dictionary<long, object?[]> _rows = [];
        private readonly Dictionary<long, (RowKind Kind, object?[] Row)> _latest = []; // sequence-field: tombstones too

        public IReadOnlyDictionary<long, object?[]> Rows => _rows;
        public Dictionary<long, object?[]> Copy() => _rows.ToDictionary(kv => kv.Key, kv => (object?[])kv.Value.Clone());

        public void Apply(RowKind kind, object?[] row)
        {
            long id = (long)row[0]!;
            switch (engine)
            {
                case "partial-update":
                    if (kind == RowKind.UpdateBefore) return;
                    if (kind == RowKind.Delete) { _rows.Remove(id); return; }
                    if (!_rows.TryGetValue(id, out var cur)) { _rows[id] = row; return; }
                    foreach (var f in new[] { A, B, Ts }) if (row[f] is not null) cur[f] = row[f];
                    if (row[G] is int g && (cur[G] is not int cg || g >= cg)) { cur[G] = g; cur[C] = row[C]; }
                    return;
                case "aggregation":
                    if (kind == RowKind.Delete) { _rows.Remove(id); return; }
                    row[C] = row[C] is null ? 0 : 1;
                    if (!_rows.TryGetValue(id, out var acc)) { _rows[id] = row; return; }
                    acc[A] = acc[A] is null ? row[A] : row[A] is null ? acc[A] : (int)acc[A]! + (int)row[A]!;
                    acc[B] = acc[B] is null ? row[B] : row[B] is null ? acc[B] : string.CompareOrdinal((string)row[B]!, (string)acc[B]!) > 0 ? row[B] : acc[B];
                    acc[G] = acc[G] is null ? row[G] : row[G] is null ? acc[G] : Math.Min((int)acc[G]!, (int)row[G]!);
                    acc[C] = (int)acc[C]! + (int)row[C]!;
                    acc[Ts] = row[Ts] ?? acc[Ts];
                    return;
                case "aggregation-retract":
                {
                    int sign = kind.IsRetract() ? -1 : 1;
                    row[B] = row[B] is null ? 0L : (long)sign;
                    row[C] = row[C] is null ? 0L : (long)sign;
                    if (sign < 0) { row[A] = row[A] is int x ? -x : null; row[G] = row[G] is int y ? -y : null; row[Ts] = row[Ts] is long z ? -z : null; }
                    if (!_rows.TryGetValue(id, out var s)) { _rows[id] = row; return; }
                    s[A] = Add(s[A], row[A]); s[G] = Add(s[G], row[G]);
                    s[B] = (long)s[B]! + (long)row[B]!; s[C] = (long)s[C]! + (long)row[C]!;
                    s[Ts] = s[Ts] is null ? row[Ts] : row[Ts] is null ? s[Ts] : (long)s[Ts]! + (long)row[Ts]!;
                    return;
                }
                case "first-row":
                    if (kind.IsRetract()) return; // ignore-delete
                    _rows.TryAdd(id, row);
                    return;
                case "deduplicate":
                    if (kind.IsRetract()) _rows.Remove(id); else _rows[id] = row;
                    return;
                case "sequence-field":
                    if (_latest.TryGetValue(id, out var latest) && (long)row[Ts]! < (long)latest.Row[Ts]!) return; // older by ts: loses
                    _latest[id] = (kind, row);
                    if (kind.IsRetract()) _rows.Remove(id); else _rows[id] = row;
                    return;
            }
        }

        private static object? Add(object? a, object? b) => a is null ? b : b is null ? a : (int)a + (int)b;
    }
}
