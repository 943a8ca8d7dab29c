using System.Text;
using TableStore.Core.Data;
using TableStore.Core.Ingest;
using TableStore.Core.IO;
using TableStore.Core.Schema;
using TableStore.Core.Table;

namespace TableStore.Core.Tests;

public class SchemaAndValueTests
{
    [Fact]
    public void Parses_every_type_with_nullability()
    {
        var fields = SchemaParser.ParseColumns("a BOOLEAN, b INT NOT NULL, c BIGINT, d FLOAT, e DOUBLE, f DECIMAL(10, 2) NOT NULL, g STRING, h BYTES, i DATE, j TIMESTAMP not null");
        Assert.Equal(Enumerable.Range(0, 10), fields.Select(f => f.Id));
        Assert.Equal("BOOLEAN,INT NOT NULL,BIGINT,FLOAT,DOUBLE,DECIMAL(10,2) NOT NULL,STRING,BYTES,DATE,TIMESTAMP NOT NULL",
            string.Join(",", fields.Select(f => f.Type.ToString())));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("a", "has no type")]
    [InlineData("a INTEGR", "Unknown type")]
    [InlineData("a INT, a BIGINT", "defined twice")]
    [InlineData("a DECIMAL(40,2)", "precision")]
    [InlineData("a DECIMAL(5,6)", "scale")]
    [InlineData("a INT(3)", "takes no parameters")]
    [InlineData("1a INT", "Invalid column name")]
    [InlineData("a-b INT", "Invalid column name")]
    [InlineData("_op STRING", "reserved")]
    [InlineData("a INT,, b INT", "empty")]
    public void Bad_schemas_are_rejected_clearly(string text, string message)
    {
        var e = Assert.Throws<InvalidInputException>(() => new TableSchema(0, SchemaParser.ParseColumns(text)));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Keys_must_be_columns_and_partitions_part_of_the_key()
    {
        var cols = SchemaParser.ParseColumns("id BIGINT, region STRING, v INT");
        Assert.Contains("not a column", Assert.Throws<InvalidInputException>(() => new TableSchema(0, cols, ["nope"])).Message);
        Assert.Contains("must be part of the primary key", Assert.Throws<InvalidInputException>(() => new TableSchema(0, cols, ["id"], ["region"])).Message);
        Assert.Contains("bucket count", Assert.Throws<InvalidInputException>(() => new TableSchema(0, cols, ["id"], null, 0)).Message);
        Assert.Contains("target-file-size", Assert.Throws<InvalidInputException>(() => new TableSchema(0, cols, ["id"], null, 1, new Dictionary<string, string> { ["target-file-size"] = "big" })).Message);
        var s = new TableSchema(0, cols, ["id", "region"], ["region"], 4);
        Assert.False(s.Fields[0].Type.Nullable);
        Assert.Equal([0], s.BucketKeyIndices.ToArray());
        Assert.Equal(TableKind.PrimaryKey, s.Kind);
    }

    [Theory]
    [InlineData("BOOLEAN", "true")]
    [InlineData("INT", "-42")]
    [InlineData("BIGINT", "9223372036854775807")]
    [InlineData("FLOAT", "1.5")]
    [InlineData("DOUBLE", "0.1")]
    [InlineData("DECIMAL(10,3)", "-12.345")]
    [InlineData("STRING", " spaced, \"quoted\" ")]
    [InlineData("BYTES", "AQID")]
    [InlineData("DATE", "2024-02-29")]
    [InlineData("TIMESTAMP", "2024-02-29 23:59:59.123")]
    [InlineData("DECIMAL(10,2)", "1.50")]
    [InlineData("DECIMAL(10,2)", "0.00")]
    [InlineData("TIMESTAMP", "2024-02-29 23:59:59")]
    public void Values_round_trip_through_text(string type, string text)
    {
        var t = DataType.Parse(type);
        var v = Values.Parse(text, t);
        Assert.Equal(t.ClrType, v.GetType());
        Assert.Equal(text, Values.Format(v));
    }

    [Theory]
    [InlineData("INT", "1.5")]
    [InlineData("INT", "99999999999")]
    [InlineData("BOOLEAN", "yes")]
    [InlineData("DECIMAL(4,2)", "123.4")]
    [InlineData("DATE", "01/02/2024")]
    [InlineData("TIMESTAMP", "noon")]
    [InlineData("BYTES", "!!")]
    [InlineData("TIMESTAMP", "2024-02-29 23:59:59.1234")]
    public void Wrong_values_are_rejected(string type, string text)
    {
        var e = Assert.Throws<InvalidInputException>(() => Values.Parse(text, DataType.Parse(type)));
        Assert.Contains(text, e.Message);
    }

    [Fact]
    public void Decimals_are_held_at_the_column_scale()
    {
        var t = DataType.Parse("DECIMAL(10,2)");
        Assert.Equal("1.50", Values.Format(Values.Parse("1.5", t)));
        Assert.Equal("0.00", Values.Format(Values.Parse("-0.00", t)));
        Assert.Equal("3.00", Values.Format(Values.Coerce(3, t)));
        Assert.Equal(TablePaths.PartitionPath(["p"], [Values.Parse("1.5", t)]), TablePaths.PartitionPath(["p"], [Values.Parse("1.50", t)]));
        var schema = new TableSchema(0, SchemaParser.ParseColumns("m DECIMAL(10,2)"), ["m"], null, 8);
        var hasher = new BucketHasher(schema);
        Assert.Equal(hasher.Bucket([Values.Parse("0", t)]), hasher.Bucket([Values.Parse("-0.00", t)]));
    }

    [Fact]
    public void Timestamps_with_offsets_are_normalized_to_utc()
    {
        var v = (DateTime)Values.Parse("2024-01-01T10:00:00+02:00", DataType.Parse("TIMESTAMP"));
        Assert.Equal(new DateTime(2024, 1, 1, 8, 0, 0), v);
    }

    [Fact]
    public void Bucket_hash_is_stable_across_processes()
    {
        // These values are part of the on-disk format: changing them breaks existing tables.
        var schema = new TableSchema(0, SchemaParser.ParseColumns("id BIGINT, name STRING, m DECIMAL(6,2)"), ["id", "name", "m"], null, 16);
        var hasher = new BucketHasher(schema);
        var buckets = new[] { hasher.Bucket([1L, "a", 1.5m]), hasher.Bucket([2L, "b", 0m]), hasher.Bucket([3L, "ü", 10m]) };
        Assert.Equal(hasher.Bucket([1L, "a", 1.50m]), buckets[0]);
        Assert.Equal(new[] { 13, 15, 13 }, buckets);
    }

    [Theory]
    [InlineData("")]
    [InlineData("orders")]
    [InlineData("../x")]
    [InlineData("a/b")]
    [InlineData("/etc/passwd")]
    [InlineData("db.")]
    [InlineData(".t")]
    [InlineData("db.t.x")]
    [InlineData("db.t x")]
    [InlineData("db..t")]
    [InlineData("db.t\n")]
    [InlineData("db\n.t")]
    public void Path_like_table_names_are_rejected(string name)
    {
        var e = Assert.Throws<InvalidInputException>(() => Identifier.Parse(name));
        Assert.Contains("name", e.Message);
    }

    [Fact]
    public void Values_from_the_api_are_widened_only_when_exact_and_must_be_valid_text()
    {
        var f = DataType.Parse("FLOAT");
        var d = DataType.Parse("DOUBLE");
        Assert.Equal(3f, Values.Coerce(3, f));
        Assert.Equal(0.5f, Values.Coerce(0.5, f));
        Assert.Throws<InvalidInputException>(() => Values.Coerce(16777217, f));
        Assert.Throws<InvalidInputException>(() => Values.Coerce(0.1, f));
        Assert.Throws<InvalidInputException>(() => Values.Coerce((1L << 53) + 1, d));
        Assert.Throws<InvalidInputException>(() => Values.Coerce(int.MaxValue, f));
        Assert.Throws<InvalidInputException>(() => Values.Coerce(long.MinValue, f));
        Assert.Throws<InvalidInputException>(() => Values.Coerce(long.MinValue, d));
        Assert.Equal((double)(1L << 53), Values.Coerce(1L << 53, d));
        Assert.Equal(0.1f, Values.FromJson(System.Text.Json.JsonDocument.Parse("0.1").RootElement, f));
        Assert.Contains("unpaired", Assert.Throws<InvalidInputException>(() => Values.Coerce("a\uD800", DataType.Parse("STRING"))).Message);
        Assert.Equal("a\uD83D\uDE00", Values.Coerce("a\uD83D\uDE00", DataType.Parse("STRING")));
        Assert.Throws<InvalidInputException>(() => SchemaParser.ParseColumns("col\n INT"));
    }

    [Fact]
    public void Partition_paths_escape_values()
    {
        Assert.Equal("p=a%2F..%2Fb/", TablePaths.PartitionPath(["p"], ["a/../b"]));
        Assert.Equal("p=%2E./", TablePaths.PartitionPath(["p"], [".."]));
        Assert.Equal("d=2024-01-01/n=5/", TablePaths.PartitionPath(["d", "n"], [new DateOnly(2024, 1, 1), 5]));
    }

    private static readonly TableSchema Orders = new(0, SchemaParser.ParseColumns("id BIGINT, name STRING NOT NULL, amount DECIMAL(10,2)"), ["id"]);

    [Fact]
    public void Csv_rows_are_typed_with_row_kinds()
    {
        var rows = RowReaders.ReadCsv(new StringReader("id,name,amount,_op\n1,ann,1.50,+I\n2,\"b, \"\"q\"\"\",,\n1,,,-D\n"), Orders, "in.csv").ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal("b, \"q\"", rows[1].Values[1]);
        Assert.Null(rows[1].Values[2]);
        Assert.Equal(RowKind.Delete, rows[2].Kind);
    }

    [Fact]
    public void Empty_input_blank_lines_and_byte_order_marks_are_not_rows()
    {
        Assert.Empty(RowReaders.ReadCsv(new StringReader(""), Orders, "in.csv"));
        Assert.Empty(RowReaders.ReadJsonLines(new StringReader("\uFEFF\n\n"), Orders, "in.jsonl"));
        var rows = RowReaders.ReadCsv(new StringReader("\uFEFFid,name\n1,a\n\n2,b\n\n"), Orders, "in.csv").ToList();
        Assert.Equal([1L, 2L], rows.Select(r => (long)r.Values[0]!));
        var e = Assert.Throws<InvalidInputException>(() => RowReaders.ReadCsv(new StringReader("id,name\n\n1,a\n2,x,y\n"), Orders, "in.csv").ToList());
        Assert.Contains("line 4", e.Message);
        var single = new TableSchema(0, SchemaParser.ParseColumns("v INT"));
        Assert.Equal([1, 2], RowReaders.ReadCsv(new StringReader("v\n1\n\n2\n\n"), single, "in.csv").Select(r => (int)r.Values[0]!));
    }

    [Fact]
    public async Task Unknown_table_options_are_rejected_at_create_but_annotations_are_kept()
    {
        var catalog = new Catalog(new InMemoryObjectStore());
        var cols = SchemaParser.ParseColumns("id INT");
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => catalog.CreateTableAsync(Identifier.Parse("db.t"),
            new TableDefinition(cols, ["id"], Options: new Dictionary<string, string> { ["target-file-sise"] = "1mb" })));
        Assert.Contains("Unknown table option 'target-file-sise'", e.Message);
        Assert.Empty(await catalog.ListTablesAsync());
        var t = await catalog.CreateTableAsync(Identifier.Parse("db.t"), new TableDefinition(cols, ["id"], Options: new Dictionary<string, string> { ["meta.owner"] = "team-a" }));
        Assert.Equal("team-a", t.Schema.Options["meta.owner"]);
        // A schema written by a newer version with an option this one does not know still reads.
        Assert.Equal("x", new TableSchema(1, cols, ["id"], null, 1, new Dictionary<string, string> { ["future-option"] = "x" }).Options["future-option"]);
    }

    [Theory]
    [InlineData("id,name,bogus\n1,a,2\n", "line 1, column 3: unknown column 'bogus'")]
    [InlineData("id,name\nx,a\n", "line 2, column 1 (id): 'x' is not a valid BIGINT")]
    [InlineData("id,name\n1,\n", "line 2: Column 'name' is NOT NULL")]
    [InlineData("id,name\n,a\n", "line 2: Column 'id' is a primary-key column")]
    [InlineData("id,name\n1,a\n2", "line 3: expected 2 fields")]
    [InlineData("id,name\n1,\"a\n", "line 2: malformed CSV")]
    [InlineData("id,name,amount\n1,a,2\n2,b,3\n3,c,1.234\n", "line 4, column 3 (amount)")]
    [InlineData("id,name,_op\n1,a,+X\n", "invalid row kind '+X'")]
    [InlineData("id,id\n1,2\n", "appears twice")]
    [InlineData("id,name\n1,a\n2,b,c\n", "line 3: expected 2 fields")]
    public void Bad_csv_names_file_line_and_column(string csv, string message)
    {
        var e = Assert.Throws<InvalidInputException>(() => RowReaders.ReadCsv(new StringReader(csv), Orders, "in.csv").ToList());
        Assert.Contains(message, e.Message);
        Assert.StartsWith("in.csv", e.Message);
    }

    [Theory]
    [InlineData("{\"id\":1,\"name\":\"a\",\"bogus\":1}", "line 1: unknown column 'bogus'")]
    [InlineData("{\"id\":1,\"name\":\"a\"}\n{\"id\":\"x\",\"name\":\"a\"}", "line 2, field id: 'x' is not a valid BIGINT")]
    [InlineData("{\"id\":1,\"name\":null}", "Column 'name' is NOT NULL")]
    [InlineData("{\"id\":1,\"name\":\"a\"}\n{\"id\":2,\"na", "line 2, column")]
    [InlineData("[1,2]", "expected a JSON object")]
    [InlineData("{\"id\":1,\"name\":\"a\\ud800\"}", "line 1, field name: JSON string")]
    [InlineData("{\"id\":1.5,\"name\":\"a\"}", "not a valid BIGINT")]
    [InlineData("{\"id\":1,\"name\":\"a\",\"id\":2}", "field 'id' appears twice")]
    public void Bad_jsonl_names_line_and_field(string jsonl, string message)
    {
        var e = Assert.Throws<InvalidInputException>(() => RowReaders.ReadJsonLines(new StringReader(jsonl), Orders, "in.jsonl").ToList());
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public async Task Appending_retractions_to_an_append_only_table_is_rejected()
    {
        var table = await new Catalog(new InMemoryObjectStore()).CreateTableAsync(Identifier.Parse("db.log"),
            new TableDefinition(SchemaParser.ParseColumns("msg STRING")));
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => table.WriteAndCommitAsync([new ChangeRow(RowKind.Delete, ["x"])]));
        Assert.Contains("append-only", e.Message);
        Assert.Null(await table.Snapshots.LatestIdAsync());
    }

    [Fact]
    public async Task Catalog_creates_lists_and_drops()
    {
        var catalog = new Catalog(new InMemoryObjectStore());
        var def = new TableDefinition(SchemaParser.ParseColumns("id INT"), ["id"]);
        await catalog.CreateTableAsync(Identifier.Parse("b.t2"), def);
        var t = await catalog.CreateTableAsync(Identifier.Parse("a.t1"), def);
        await t.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [1])]);
        await Assert.ThrowsAsync<TableAlreadyExistsException>(() => catalog.CreateTableAsync(Identifier.Parse("a.t1"), def));
        Assert.Equal(["a.t1", "b.t2"], (await catalog.ListTablesAsync()).Select(i => i.FullName));
        await catalog.DropTableAsync(Identifier.Parse("a.t1"));
        await Assert.ThrowsAsync<TableNotFoundException>(() => catalog.GetTableAsync(Identifier.Parse("a.t1")));
        await Assert.ThrowsAsync<TableNotFoundException>(() => catalog.DropTableAsync(Identifier.Parse("a.t1")));
        Assert.Empty(await catalog.Store.ListAllAsync("a.db/"));
        var again = await catalog.CreateTableAsync(Identifier.Parse("a.t1"), def);
        Assert.Null(await again.Snapshots.LatestIdAsync());
    }

    [Fact]
    public async Task Concurrent_creates_of_one_table_have_one_winner_and_an_interrupted_drop_blocks_create_until_finished()
    {
        var store = new InMemoryObjectStore();
        var def = new TableDefinition(SchemaParser.ParseColumns("id INT"), ["id"]);
        for (int round = 0; round < 20; round++)
        {
            var id = Identifier.Parse($"db.t{round}");
            var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                try { await new Catalog(store).CreateTableAsync(id, def); return true; }
                catch (TableAlreadyExistsException) { return false; }
            })));
            Assert.Equal(1, results.Count(r => r));
        }

        var catalog = new Catalog(store);
        var t = await catalog.GetTableAsync(Identifier.Parse("db.t0"));
        await t.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [1])]);
        await store.DeleteAsync("db.db/t0/schema/schema-0"); // a drop interrupted after its first step
        await Assert.ThrowsAsync<TableNotFoundException>(() => catalog.GetTableAsync(Identifier.Parse("db.t0")));
        var blocked = await Assert.ThrowsAsync<InvalidInputException>(() => catalog.CreateTableAsync(Identifier.Parse("db.t0"), def));
        Assert.Contains("interrupted drop", blocked.Message);
        await catalog.DropTableAsync(Identifier.Parse("db.t0"));
        var fresh = await catalog.CreateTableAsync(Identifier.Parse("db.t0"), def);
        Assert.Null(await fresh.Snapshots.LatestIdAsync());
    }

    [Fact]
    public async Task A_restarted_writer_retrying_with_its_identity_is_recognised_without_a_known_snapshot()
    {
        var table = await new Catalog(new InMemoryObjectStore()).CreateTableAsync(Identifier.Parse("db.t"), new TableDefinition(SchemaParser.ParseColumns("id INT, v STRING"), ["id"]));
        var options = new WriteOptions { CommitUser = "job", CommitIdentifier = 42 };
        var first = await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [1, "a"])], options);
        await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [1, "newer"])]);
        var retry = await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [1, "a"])], options);
        Assert.True(retry!.AlreadyCommitted);
        Assert.Equal(first!.SnapshotId, retry.SnapshotId);
        Assert.Equal("newer", (await (await table.ScanAsync(new Scan.ScanOptions())).ToListAsync()).Single()[1]);
    }

    [Fact]
    public async Task Partition_filtered_scans_work_after_an_overwrite_across_partitions()
    {
        var table = await new Catalog(new InMemoryObjectStore()).CreateTableAsync(Identifier.Parse("db.t"),
            new TableDefinition(SchemaParser.ParseColumns("id INT, p INT"), ["id", "p"], ["p"]));
        await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [1, 1]), new ChangeRow(RowKind.Insert, [2, 2])]);
        await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [3, 5])], new WriteOptions { Kind = Manifest.CommitKind.Overwrite });
        Assert.Equal([3], (await (await table.ScanAsync(new Scan.ScanOptions { Filter = "p = 5" })).ToListAsync()).Select(r => (int)r[0]!));
        Assert.Empty(await (await table.ScanAsync(new Scan.ScanOptions { Filter = "p = 1" })).ToListAsync());
        Assert.Single(await (await table.ScanAsync(new Scan.ScanOptions())).ToListAsync());
        Assert.Equal(Manifest.CommitKind.Overwrite, (await table.Snapshots.LatestAsync())!.CommitKind);
    }

    [Fact]
    public async Task Overwriting_a_partition_named_at_another_decimal_scale_replaces_it()
    {
        var table = await new Catalog(new InMemoryObjectStore()).CreateTableAsync(Identifier.Parse("db.t"),
            new TableDefinition(SchemaParser.ParseColumns("id INT, p DECIMAL(5,2)"), ["id", "p"], ["p"]));
        await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [1, 1.50m]), new ChangeRow(RowKind.Insert, [2, 2m])]);
        await table.NewCommit("ow").CommitAsync(new Commit.CommitRequest([], 1) { Kind = Manifest.CommitKind.Overwrite, OverwritePartitions = [[1.5m]], BaseSnapshotId = 1 });
        Assert.Equal([2], (await (await table.ScanAsync(new Scan.ScanOptions())).ToListAsync()).Select(r => (int)r[0]!));
    }

    [Fact]
    public async Task Unknown_snapshots_are_reported_with_the_available_range()
    {
        var table = await new Catalog(new InMemoryObjectStore()).CreateTableAsync(Identifier.Parse("db.t"),
            new TableDefinition(SchemaParser.ParseColumns("id INT"), ["id"]));
        var none = await Assert.ThrowsAsync<SnapshotNotFoundException>(() => table.ScanAsync(new Scan.ScanOptions { SnapshotId = 1 }));
        Assert.Contains("no snapshots yet", none.Message);
        await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [1])]);
        var e = await Assert.ThrowsAsync<SnapshotNotFoundException>(() => table.ScanAsync(new Scan.ScanOptions { SnapshotId = 9 }));
        Assert.Contains("1..1", e.Message);
        var early = await Assert.ThrowsAsync<SnapshotNotFoundException>(() => table.ScanAsync(new Scan.ScanOptions { AsOf = DateTimeOffset.UnixEpoch }));
        Assert.Contains("No snapshot exists at or before", early.Message);
    }

    [Fact]
    public async Task Corrupt_snapshot_and_missing_data_files_are_named()
    {
        var store = new InMemoryObjectStore();
        var table = await new Catalog(store).CreateTableAsync(Identifier.Parse("db.t"), new TableDefinition(SchemaParser.ParseColumns("id INT"), ["id"]));
        await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [1])]);
        var data = (await store.ListAllAsync("db.db/t/bucket-0/")).Single().Path;
        await store.DeleteAsync(data);
        var fresh = await new Catalog(store).GetTableAsync(Identifier.Parse("db.t"));
        var missing = await Assert.ThrowsAsync<CorruptFileException>(async () => await (await fresh.ScanAsync(new Scan.ScanOptions())).ToListAsync());
        Assert.Contains(data, missing.Message);

        await store.PutAsync("db.db/t/snapshot/snapshot-1", Encoding.UTF8.GetBytes("{not json"));
        var corrupt = await Assert.ThrowsAsync<CorruptFileException>(() => new Catalog(store).GetTableAsync(Identifier.Parse("db.t")).ContinueWith(t => t.Result.ScanAsync(new Scan.ScanOptions())).Unwrap());
        Assert.Contains("snapshot-1", corrupt.Message);
    }
}
