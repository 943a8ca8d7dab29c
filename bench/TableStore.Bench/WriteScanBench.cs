using Parquet;
using Parquet.Schema;
using TableStore.Core.IO;
using TableStore.Core.Scan;
using TableStore.Core.Schema;
using TableStore.Core.Table;

namespace TableStore.Bench;

/// <summary>
/// Writes the rows into a 4-bucket primary-key table in 4 commits, and scans it merged; the peer writes the
/// same rows as 4 Parquet files with the same codec (zstd fastest) from prepared column arrays, and reads the
/// table's data files back into typed arrays.
/// </summary>
internal sealed class WriteScanBench(OrderData data) : IDisposable
{
    private const int Commits = 4;
    private readonly string _dir = Directory.CreateTempSubdirectory("tablestore-bench-").FullName;
    private int _run;
    private FileStoreTable? _last;
    private readonly Columns _columns = Columns.From(data);

    public long ScannedRows { get; private set; }

    public async Task TableStoreWriteAsync()
    {
        var store = new LocalFileSystemObjectStore(Path.Combine(_dir, $"ts-{_run++}"));
        var table = await new Catalog(store).CreateTableAsync(Identifier.Parse("bench.orders"),
            new TableDefinition(SchemaParser.ParseColumns(OrderData.Schema), ["id"], null, 4));
        int per = data.Rows.Count / Commits;
        for (int c = 0; c < Commits; c++)
            await table.WriteAndCommitAsync(data.Rows.GetRange(c * per, c == Commits - 1 ? data.Rows.Count - c * per : per));
        _last = table;
    }

    public async Task RawParquetWriteAsync()
    {
        var dir = Path.Combine(_dir, $"raw-{_run++}");
        Directory.CreateDirectory(dir);
        int per = _columns.Id.Length / Commits;
        var schema = new ParquetSchema(new DataField<long>("id"), new DataField<string>("customer", nullable: false),
            new DataField<int?>("qty"), new DataField<double?>("price"), new DataField<long?>("created"));
        var fields = schema.GetDataFields();
        var options = new ParquetOptions { CompressionMethod = CompressionMethod.Zstd, CompressionLevel = System.IO.Compression.CompressionLevel.Fastest };
        for (int c = 0; c < Commits; c++)
        {
            int start = c * per, n = c == Commits - 1 ? _columns.Id.Length - start : per;
            await using var fs = File.Create(Path.Combine(dir, $"part-{c}.parquet"));
            await using var w = await ParquetWriter.CreateAsync(schema, fs, options);
            using var rg = w.CreateRowGroup();
            await rg.WriteAsync<long>(fields[0], _columns.Id.AsMemory(start, n));
            await rg.WriteAsync(fields[1], _columns.Customer[start..(start + n)]);
            await rg.WriteAsync<int>(fields[2], _columns.Qty.AsMemory(start, n));
            await rg.WriteAsync<double>(fields[3], _columns.Price.AsMemory(start, n));
            await rg.WriteAsync<long>(fields[4], _columns.Created.AsMemory(start, n));
        }
    }

    public async Task TableStoreScanAsync()
    {
        long n = 0;
        await foreach (var _ in (await _last!.ScanAsync(new ScanOptions())).Rows) n++;
        ScannedRows = n;
    }

    /// <summary>Reads every data file of the table's latest snapshot, all columns, into typed arrays.</summary>
    public async Task RawParquetScanAsync()
    {
        var plan = await _last!.NewScan().PlanAsync(await _last.Snapshots.LatestAsync(), null);
        var root = ((LocalFileSystemObjectStore)_last.Store).Location;
        var dir = new Uri(root).LocalPath;
        foreach (var split in plan.Splits)
            foreach (var f in split.Files)
            {
                await using var fs = File.OpenRead(Path.Combine(dir, _last.Paths.DataFile([], split.Partition, split.Bucket, f.FileName)));
                await ReadAllColumnsAsync(fs);
            }
    }

    /// <summary>The raw peer's read: every column of a table data file into typed arrays.</summary>
    public static async Task ReadAllColumnsAsync(Stream file)
    {
        await using var r = await ParquetReader.CreateAsync(file);
        var fields = r.Schema.GetDataFields();
        for (int g = 0; g < r.RowGroupCount; g++)
        {
            using var rg = r.OpenRowGroupReader(g);
            int rows = (int)rg.RowCount;
            await rg.ReadAsync<long>(fields[0], new long[rows]);
            await rg.ReadAsync<int>(fields[1], new int[rows]);
            await rg.ReadAsync<long>(fields[2], new long[rows]);
            await rg.ReadAsync(fields[3], new string[rows]);
            await rg.ReadAsync<int>(fields[4], new int?[rows]);
            await rg.ReadAsync<double>(fields[5], new double?[rows]);
            await rg.ReadAsync<long>(fields[6], new long?[rows]);
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private sealed record Columns(long[] Id, string[] Customer, int?[] Qty, double?[] Price, long?[] Created)
    {
        public static Columns From(OrderData d) => new(
            d.Rows.Select(r => (long)r.Values[0]!).ToArray(), d.Rows.Select(r => (string)r.Values[1]!).ToArray(),
            d.Rows.Select(r => (int?)r.Values[2]).ToArray(), d.Rows.Select(r => (double?)r.Values[3]).ToArray(),
            d.Rows.Select(r => (long?)r.Values[4]).ToArray());
    }
}
