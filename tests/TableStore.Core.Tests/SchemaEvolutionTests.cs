using TableStore.Core.Data;
using TableStore.Core.Scan;
using TableStore.Core.Schema;
using TableStore.Core.Table;
using TableStore.Core.Tests.Support;
using Xunit.Abstractions;

namespace TableStore.Core.Tests;

/// <summary>
/// Columns are added, dropped, renamed and widened between writes and compactions; old files are never
/// rewritten by an alter, yet every scan reads like a model that keeps values by field id.
/// </summary>
public class SchemaEvolutionTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(61)]
    [InlineData(62)]
    [InlineData(63)]
    public async Task Random_alters_between_writes_and_compactions_read_like_the_model(int seed)
    {
        await Seeded.RunAsync(output, $"seed {seed}", () => Run(seed));
    }

    private static async Task Run(int seed)
    {
        var random = new Random(seed);
        var store = new InMemoryObjectStore();
        var catalog = new Catalog(store);
        var id = Identifier.Parse("db.evolve");
        var table = await catalog.CreateTableAsync(id, new TableDefinition(
            SchemaParser.ParseColumns("id BIGINT, n INT, f FLOAT, d DECIMAL(6,2), s STRING"), ["id"], null, 2,
            new Dictionary<string, string> { [CoreOptions.CompactionTriggerKey] = "3", [CoreOptions.WriteBufferSizeKey] = "2kb" }));
        // The model: key -> (field id -> value). Values are kept as written; reads widen them to the current type.
        var model = new Dictionary<long, Dictionary<int, object?>>();
        int added = 0;

        for (int step = 0; step < 40; step++)
        {
            var schema = table.Schema;
            switch (random.Next(6))
            {
                case 0 or 1 or 2:
                {
                    var rows = new List<ChangeRow>();
                    for (int i = 0, n = random.Next(1, 20); i < n; i++)
                    {
                        long key = random.Next(30);
                        if (random.Next(6) == 0)
                        {
                            var del = new object?[schema.Fields.Length];
                            del[0] = key;
                            rows.Add(new ChangeRow(RowKind.Delete, del));
                            model.Remove(key);
                            continue;
                        }
                        var values = schema.Fields.Select((f, c) => c == 0 ? key : random.Next(4) == 0 ? null : RandomValue(random, f.Type)).ToArray();
                        rows.Add(new ChangeRow(RowKind.Insert, (object?[])values.Clone()));
                        model[key] = schema.Fields.Select((f, c) => (f.Id, values[c])).ToDictionary(x => x.Id, x => x.Item2);
                    }
                    await table.WriteAndCommitAsync(rows);
                    break;
                }
                case 3:
                    await table.CompactAsync(new CompactOptions { Full = random.Next(2) == 0 });
                    break;
                default:
                {
                    var change = RandomChange(random, schema, ref added);
                    if (change is null) break;
                    table = await catalog.AlterTableAsync(id, [change]);
                    break;
                }
            }
            var expected = model.OrderBy(kv => kv.Key).Select(kv => table.Schema.Fields
                .Select(f => kv.Value.TryGetValue(f.Id, out var v) && v is not null ? Values.Coerce(v, f.Type) : null).ToArray()).ToList();
            var actual = (await (await table.ScanAsync(new ScanOptions())).ToListAsync()).OrderBy(r => (long)r[0]!).ToList();
            var context = $"step {step}, schema {table.Schema.Id} ({string.Join(", ", table.Schema.Fields.Select(f => $"{f.Name}#{f.Id} {f.Type}"))})";
            Assert.True(expected.Count == actual.Count, $"{context}: {expected.Count} rows expected, {actual.Count} read");
            for (int i = 0; i < expected.Count; i++)
                Assert.True(expected[i].SequenceEqual(actual[i]), $"{context}: expected [{string.Join(", ", expected[i].Select(Values.Format))}], read [{string.Join(", ", actual[i].Select(Values.Format))}]");

            // Stats of files written before a widening still prune correctly.
            if (table.Schema.FieldIndex("n") is var nIndex and > 0)
            {
                var filtered = await (await table.ScanAsync(new ScanOptions { Filter = "n >= 40" })).ToListAsync();
                Assert.Equal(expected.Count(r => r[nIndex] is { } v && Convert.ToInt64(v) >= 40), filtered.Count);
            }
        }
    }

    private static object RandomValue(Random random, DataType type) => type.Kind switch
    {
        DataTypeKind.Int => random.Next(100),
        DataTypeKind.BigInt => (long)random.Next(100),
        DataTypeKind.Float => (float)random.Next(1000) / 4,
        DataTypeKind.Double => random.Next(1000) / 4.0,
        DataTypeKind.Decimal => Math.Round((decimal)random.Next(10000) / 100, 2),
        DataTypeKind.String => $"v{random.Next(100)}",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    private static SchemaChange? RandomChange(Random random, TableSchema schema, ref int added)
    {
        var values = schema.Fields.Skip(1).ToList();
        switch (random.Next(4))
        {
            case 0:
                // Sometimes re-adds a name that was dropped: the new column must not see the old one's data.
                var name = random.Next(3) == 0 && schema.FieldIndex("s") < 0 ? "s" : $"x{++added}";
                if (schema.FieldIndex(name) >= 0) return null;
                return new SchemaChange.AddColumn(name, random.Next(2) == 0 ? DataType.Parse("INT") : DataType.Parse("STRING"));
            case 1:
                return values.Count <= 1 ? null : new SchemaChange.DropColumn(values[random.Next(values.Count)].Name);
            case 2:
                var target = values[random.Next(values.Count)];
                var newName = target.Name + "r";
                return target.Name == "n" || newName.Length > 8 ? null : new SchemaChange.RenameColumn(target.Name, newName);
            default:
                var widen = values.FirstOrDefault(f => f.Type.Kind is DataTypeKind.Int or DataTypeKind.Float || f.Type.Kind == DataTypeKind.Decimal && f.Type.Precision < 20);
                return widen is null ? null : new SchemaChange.WidenColumn(widen.Name, widen.Type.Kind switch
                {
                    DataTypeKind.Int => DataType.Parse("BIGINT"),
                    DataTypeKind.Float => DataType.Parse("DOUBLE"),
                    _ => DataType.Decimal(widen.Type.Precision + 2, widen.Type.Scale),
                });
        }
    }

    [Theory]
    [InlineData("drop:id", "Column 'id' is part of the primary key (id, day) and cannot be dropped.")]
    [InlineData("drop:day", "Column 'day' is a partition key and cannot be dropped: the table's files are laid out by it.")]
    [InlineData("drop:nope", "Column 'nope' does not exist")]
    [InlineData("add:v", "Column 'v' already exists.")]
    [InlineData("addnn:w", "Column 'w' cannot be added as NOT NULL")]
    [InlineData("rename:day", "Column 'day' is a partition key and cannot be renamed")]
    [InlineData("rename:v", "Column 'total' already exists.")]
    [InlineData("widen:id", "Column 'id' is a key column and cannot be widened")]
    [InlineData("narrow:total", "Column 'total' cannot change from BIGINT to INT")]
    [InlineData("drop:total", "Column 'total' is used by table option 'fields.total.aggregate-function'")]
    public async Task Alters_that_would_break_the_table_are_refused_and_change_nothing(string change, string message)
    {
        var catalog = new Catalog(new InMemoryObjectStore());
        var id = Identifier.Parse("db.t");
        await catalog.CreateTableAsync(id, new TableDefinition(SchemaParser.ParseColumns("id INT, day DATE, v INT, total BIGINT"), ["id", "day"], ["day"], 1,
            new Dictionary<string, string> { ["merge-engine"] = "aggregation", ["fields.total.aggregate-function"] = "sum" }));
        var parts = change.Split(':');
        SchemaChange c = parts[0] switch
        {
            "drop" => new SchemaChange.DropColumn(parts[1]),
            "add" => new SchemaChange.AddColumn(parts[1], DataType.Parse("INT")),
            "addnn" => new SchemaChange.AddColumn(parts[1], DataType.Parse("INT NOT NULL")),
            "rename" => new SchemaChange.RenameColumn(parts[1], "total"),
            "widen" => new SchemaChange.WidenColumn(parts[1], DataType.Parse("BIGINT")),
            "narrow" => new SchemaChange.WidenColumn(parts[1], DataType.Parse("INT")),
            _ => throw new ArgumentException(change),
        };
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => catalog.AlterTableAsync(id, [c]));
        Assert.Contains(message, e.Message);
        Assert.Equal(0, (await catalog.GetTableAsync(id)).Schema.Id);
    }

    [Fact]
    public async Task A_compaction_by_a_process_with_an_older_schema_keeps_columns_added_since()
    {
        var store = new InMemoryObjectStore();
        var id = Identifier.Parse("db.t");
        var old = await new Catalog(store).CreateTableAsync(id, new TableDefinition(SchemaParser.ParseColumns("id BIGINT, a INT"), ["id"], null, 1,
            new Dictionary<string, string> { [CoreOptions.WriteOnlyKey] = "true" }));
        await old.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [1L, 1])]);
        var other = await new Catalog(store).AlterTableAsync(id, [new SchemaChange.AddColumn("c", DataType.Parse("STRING"))]);
        await other.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [2L, 2, "kept"])]);
        Assert.NotNull((await old.CompactAsync(new CompactOptions { Full = true })).SnapshotId); // `old` still has schema 0
        var rows = await (await (await new Catalog(store).GetTableAsync(id)).ScanAsync(new ScanOptions())).ToListAsync();
        Assert.Equal([[1L, 1, null], [2L, 2, "kept"]], rows);
    }

    [Fact]
    public async Task Renaming_a_column_renames_the_options_that_name_it()
    {
        var catalog = new Catalog(new InMemoryObjectStore());
        var id = Identifier.Parse("db.t");
        await catalog.CreateTableAsync(id, new TableDefinition(SchemaParser.ParseColumns("id INT, total BIGINT, g INT, c INT"), ["id"], null, 1,
            new Dictionary<string, string> { ["merge-engine"] = "partial-update", ["fields.g.sequence-group"] = "c" }));
        var t = await catalog.AlterTableAsync(id, [new SchemaChange.RenameColumn("g", "version"), new SchemaChange.RenameColumn("c", "city")]);
        Assert.Equal("city", t.Schema.Options["fields.version.sequence-group"]);
        Assert.False(t.Schema.Options.ContainsKey("fields.g.sequence-group"));
    }
}
