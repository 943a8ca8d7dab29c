using System.Diagnostics;
using System.Globalization;
using Parquet;
using Parquet.Schema;
using DataField = Parquet.Schema.DataField;
using TableStore.Core.IO;
using TableStore.Core.Manifest;
using TableStore.Core.MergeTree.Compaction;
using TableStore.Core.Schema;
using TableStore.Core.Table;

namespace TableStore.Bench;

/// <summary>
/// Compaction: (1) throughput of a full compaction of many sorted runs, side by side with raw Parquet.Net
/// decoding the same files and encoding them again as one file per bucket (the codec floor, without merging);
/// (2) a steady upsert load with the default triggers, recording after every commit the sorted runs per bucket,
/// the live file count and the bytes written, for write and read amplification (CSV for the plot).
/// </summary>
internal static class CompactionBench
{
    private const int Buckets = 4;

    public static async Task RunAsync(OrderData data, int runs, int inputCommits, int steadyCommits, int rowsPerCommit, int keys, string csvPath)
    {
        var dir = Directory.CreateTempSubdirectory("tablestore-compaction-").FullName;
        try
        {
            await ThroughputAsync(data, runs, inputCommits, dir);
            await SteadyLoadAsync(steadyCommits, rowsPerCommit, keys, csvPath, dir);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task ThroughputAsync(OrderData data, int runs, int inputCommits, string dir)
    {
        var ts = new List<(double Seconds, long Bytes, long Rows)>();
        var raw = new List<(double Seconds, long Bytes, long Rows)>();
        for (int run = -1; run < runs; run++) // run -1 warms up both sides
        {
            var root = Path.Combine(dir, $"t{run + 1}");
            var table = await OrderData.CreateWriteOnlyTableAsync(new LocalFileSystemObjectStore(root), Buckets);
            await data.WriteInCommitsAsync(table, inputCommits);
            var files = Directory.GetFiles(root, "data-*.parquet", SearchOption.AllDirectories);

            GC.Collect();
            var sw = Stopwatch.StartNew();
            var rawRows = await RawRewriteAsync(files, Path.Combine(dir, $"raw{run + 1}"));
            var rawSeconds = sw.Elapsed.TotalSeconds;
            long inputBytes = files.Sum(f => new FileInfo(f).Length);

            GC.Collect();
            sw.Restart();
            var outcome = await table.CompactAsync(new CompactOptions { Full = true });
            var seconds = sw.Elapsed.TotalSeconds;
            if (run >= 0)
            {
                ts.Add((seconds, outcome.BytesRead, outcome.RowsRead));
                raw.Add((rawSeconds, inputBytes, rawRows));
            }
            Directory.Delete(root, recursive: true);
        }
        static (double MBps, double RowsPs) Median(List<(double Seconds, long Bytes, long Rows)> r)
        {
            var mb = r.Select(x => x.Bytes / 1e6 / x.Seconds).Order().ToList();
            var rows = r.Select(x => x.Rows / x.Seconds).Order().ToList();
            return (mb[mb.Count / 2], rows[rows.Count / 2]);
        }
        var (tsMb, tsRows) = Median(ts);
        var (rawMb, rawRowsPs) = Median(raw);
        Console.WriteLine();
        Console.WriteLine($"## Full compaction of {inputCommits} runs per bucket, {Buckets} buckets, {ts[0].Rows:N0} rows, {ts[0].Bytes / 1e6:N1} MB in (median of {runs})");
        Console.WriteLine("| | TableStore full compaction (merge) | raw Parquet.Net decode + encode (no merge) | ratio |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        Console.WriteLine($"| MB/s read | {tsMb:N1} | {rawMb:N1} | {tsMb / rawMb:P0} |");
        Console.WriteLine($"| rows/s read | {tsRows:N0} | {rawRowsPs:N0} | {tsRows / rawRowsPs:P0} |");
    }

    /// <summary>The peer: every input file decoded column by column and encoded again into one file per bucket folder.</summary>
    private static async Task<long> RawRewriteAsync(string[] files, string outDir)
    {
        Directory.CreateDirectory(outDir);
        long rows = 0;
        var options = new ParquetOptions { CompressionMethod = CompressionMethod.Zstd, CompressionLevel = System.IO.Compression.CompressionLevel.Fastest };
        foreach (var bucket in files.GroupBy(Path.GetDirectoryName))
        {
            ParquetSchema? schema = null;
            var groups = new List<Array[]>();
            foreach (var file in bucket)
            {
                await using var fs = File.OpenRead(file);
                await using var reader = await ParquetReader.CreateAsync(fs);
                schema ??= reader.Schema;
                for (int g = 0; g < reader.RowGroupCount; g++)
                {
                    using var rg = reader.OpenRowGroupReader(g);
                    int n = checked((int)rg.RowCount);
                    rows += n;
                    var columns = new Array[schema.GetDataFields().Length];
                    int i = 0;
                    foreach (var f in schema.GetDataFields()) columns[i++] = await ReadAsync(rg, f, n);
                    groups.Add(columns);
                }
            }
            await using var output = File.Create(Path.Combine(outDir, Guid.NewGuid().ToString("N") + ".parquet"));
            await using var writer = await ParquetWriter.CreateAsync(schema!, output, options);
            foreach (var columns in groups)
            {
                using var rg = writer.CreateRowGroup();
                int i = 0;
                foreach (var f in schema!.GetDataFields()) await WriteAsync(rg, f, columns[i++]);
            }
        }
        Directory.Delete(outDir, recursive: true);
        return rows;
    }

    private static async Task<Array> ReadAsync(ParquetRowGroupReader rg, DataField f, int n)
    {
        switch (f.ClrType.Name, f.IsNullable)
        {
            case ("Int64", false): { var a = new long[n]; await rg.ReadAsync<long>(f, a.AsMemory()); return a; }
            case ("Int64", true): { var a = new long?[n]; await rg.ReadAsync<long>(f, a.AsMemory()); return a; }
            case ("Int32", false): { var a = new int[n]; await rg.ReadAsync<int>(f, a.AsMemory()); return a; }
            case ("Int32", true): { var a = new int?[n]; await rg.ReadAsync<int>(f, a.AsMemory()); return a; }
            case ("Double", true): { var a = new double?[n]; await rg.ReadAsync<double>(f, a.AsMemory()); return a; }
            case ("Double", false): { var a = new double[n]; await rg.ReadAsync<double>(f, a.AsMemory()); return a; }
            case ("String" or "ReadOnlyMemory`1", _): { var a = new string[n]; await rg.ReadAsync(f, a.AsMemory()!); return a; }
            default: throw new NotSupportedException($"{f.Name}: {f.ClrType} nullable={f.IsNullable}");
        }
    }

    private static async Task WriteAsync(ParquetRowGroupWriter rg, DataField f, Array a)
    {
        switch (a)
        {
            case long[] x: await rg.WriteAsync<long>(f, x.AsMemory()); break;
            case long?[] x: await rg.WriteAsync<long>(f, x.AsMemory()); break;
            case int[] x: await rg.WriteAsync<int>(f, x.AsMemory()); break;
            case int?[] x: await rg.WriteAsync<int>(f, x.AsMemory()); break;
            case double[] x: await rg.WriteAsync<double>(f, x.AsMemory()); break;
            case double?[] x: await rg.WriteAsync<double>(f, x.AsMemory()); break;
            case string[] x: await rg.WriteAsync(f, x); break;
            default: throw new NotSupportedException(a.GetType().Name);
        }
    }

    private static async Task SteadyLoadAsync(int commits, int rowsPerCommit, int keys, string csvPath, string dir)
    {
        var table = await new Catalog(new LocalFileSystemObjectStore(Path.Combine(dir, "steady"))).CreateTableAsync(Identifier.Parse("bench.steady"),
            new TableDefinition(SchemaParser.ParseColumns(OrderData.Schema), ["id"], null, Buckets));
        var random = new Random(7);
        long flushed = 0, compacted = 0;
        var lines = new List<string> { "commit,max_runs,avg_runs,files,live_mb,flushed_mb,compaction_mb,write_amplification" };
        double sumRuns = 0, maxSeen = 0;
        var sw = Stopwatch.StartNew();
        for (int c = 1; c <= commits; c++)
        {
            var rows = new List<TableStore.Core.Data.ChangeRow>(rowsPerCommit);
            for (int i = 0; i < rowsPerCommit; i++)
                rows.Add(new(TableStore.Core.Data.RowKind.Insert, [random.NextInt64(keys), $"customer-{random.Next(100_000):D6}", random.Next(1, 50), Math.Round(random.NextDouble() * 500, 2), (long)c]));
            var result = await table.WriteAndCommitAsync(rows);
            flushed += await AddedBytesAsync(table, result!.SnapshotId);
            if (result.Compaction?.SnapshotId is { } cs) compacted += await AddedBytesAsync(table, cs);

            var latest = (await table.Snapshots.LatestAsync())!;
            var live = await table.Manifests.ReadLiveFilesAsync(latest.BaseManifestList);
            var runs = live.GroupBy(e => e.Bucket).Select(b => SortedRun.Of(b.Select(e => e.File)).Count).ToList();
            sumRuns += runs.Average();
            maxSeen = Math.Max(maxSeen, runs.Max());
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{c},{runs.Max()},{runs.Average():0.##},{live.Count},{live.Sum(e => e.File.FileSize) / 1e6:0.###},{flushed / 1e6:0.###},{compacted / 1e6:0.###},{(flushed + compacted) / (double)flushed:0.###}"));
        }
        File.WriteAllLines(csvPath, lines);
        Console.WriteLine();
        Console.WriteLine($"## Steady upserts: {commits} commits of {rowsPerCommit:N0} rows over {keys:N0} keys, {Buckets} buckets, default triggers ({sw.Elapsed.TotalSeconds:N0} s)");
        Console.WriteLine($"- write amplification (bytes written by flushes + compactions / bytes flushed): {(flushed + compacted) / (double)flushed:N2}");
        Console.WriteLine($"- read amplification (sorted runs a bucket read merges): average {sumRuns / commits:N2}, max {maxSeen} (compaction trigger {new CoreOptions(new Dictionary<string, string>()).CompactionTrigger})");
        Console.WriteLine($"- per-commit series: {csvPath}");
    }

    private static async Task<long> AddedBytesAsync(FileStoreTable table, long snapshotId)
    {
        var s = await table.Snapshots.GetAsync(snapshotId);
        long bytes = 0;
        foreach (var m in await table.Manifests.ReadManifestListAsync(s.DeltaManifestList))
            foreach (var e in await table.Manifests.ReadManifestAsync(m.FileName))
                if (e.Kind == FileKind.Add) bytes += e.File.FileSize;
        return bytes;
    }
}
