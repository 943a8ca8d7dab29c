using System.Diagnostics;
using Parquet;
using TableStore.Core.IO;
using TableStore.Core.Table;

namespace TableStore.Bench;

/// <summary>
/// A full compaction against raw Parquet.Net doing the I/O part of the same job (<c>… rows runs compaction-ratio</c>):
/// the rows go into a write-only table of 4 buckets in 4 commits (16 files, 4 sorted runs per bucket). TableStore then
/// runs <c>CompactAsync(Full)</c> (decode, merge by key, encode, commit); the peer decodes every column of the same 16
/// files and encodes each bucket's rows into one file, row group for row group, with no merge. Alternating, fresh tables.
/// </summary>
internal static class CompactionRatioBench
{
    public static async Task RunAsync(OrderData data, int runs, TextWriter report)
    {
        var tableStore = new List<double>();
        var raw = new List<double>();
        for (int run = -1; run < runs; run++) // run -1 warms both sides up
        {
            var dir = Path.Combine(Path.GetTempPath(), $"tablestore-compaction-ratio-{Guid.NewGuid():N}");
            try
            {
                var store = new LocalFileSystemObjectStore(Path.Combine(dir, "warehouse"));
                var table = await OrderData.CreateWriteOnlyTableAsync(store, 4);
                await data.WriteInCommitsAsync(table, 4);
                var plan = await table.NewScan().PlanAsync(await table.Snapshots.LatestAsync(), null);
                var root = new Uri(store.Location).LocalPath;

                var sw = Stopwatch.StartNew();
                foreach (var split in plan.Splits)
                    await RawRewriteAsync(split.Files.Select(f => Path.Combine(root, table.Paths.DataFile([], split.Partition, split.Bucket, f.FileName))).ToList(),
                        Path.Combine(dir, $"raw-{split.Bucket}.parquet"));
                var rawSeconds = sw.Elapsed.TotalSeconds;

                sw.Restart();
                await table.CompactAsync(new CompactOptions { Full = true });
                var tsSeconds = sw.Elapsed.TotalSeconds;
                if (run < 0) continue;
                raw.Add(rawSeconds);
                tableStore.Add(tsSeconds);
            }
            finally { Directory.Delete(dir, recursive: true); }
        }
        tableStore.Sort();
        raw.Sort();
        double ts = tableStore[tableStore.Count / 2], r = raw[raw.Count / 2];
        report.WriteLine($"| full compaction of {data.Rows.Count:N0} rows (16 files, 4 buckets), median of {runs} | TableStore {ts:N2} s ({tableStore[0]:N2}–{tableStore[^1]:N2}) | raw decode + encode {r:N2} s ({raw[0]:N2}–{raw[^1]:N2}) | ratio raw/TableStore {r / ts:P0} |");
    }

    /// <summary>Decodes every column of the files and writes their row groups, in order, into one file.</summary>
    private static async Task RawRewriteAsync(List<string> inputs, string output)
    {
        var options = new ParquetOptions { CompressionMethod = CompressionMethod.Zstd, CompressionLevel = System.IO.Compression.CompressionLevel.Fastest };
        await using var outputStream = File.Create(output);
        ParquetWriter? writer = null;
        try
        {
            foreach (var input in inputs)
            {
                await using var inputStream = File.OpenRead(input);
                await using var reader = await ParquetReader.CreateAsync(inputStream);
                writer ??= await ParquetWriter.CreateAsync(reader.Schema, outputStream, options);
                var fields = reader.Schema.GetDataFields();
                for (int g = 0; g < reader.RowGroupCount; g++)
                {
                    using var rg = reader.OpenRowGroupReader(g);
                    int rows = (int)rg.RowCount;
                    var seq = new long[rows]; var kind = new int[rows]; var id = new long[rows]; var customer = new string[rows];
                    var qty = new int?[rows]; var price = new double?[rows]; var created = new long?[rows];
                    await rg.ReadAsync<long>(fields[0], seq);
                    await rg.ReadAsync<int>(fields[1], kind);
                    await rg.ReadAsync<long>(fields[2], id);
                    await rg.ReadAsync(fields[3], customer.AsMemory()!);
                    await rg.ReadAsync<int>(fields[4], qty);
                    await rg.ReadAsync<double>(fields[5], price);
                    await rg.ReadAsync<long>(fields[6], created);
                    using var wg = writer.CreateRowGroup();
                    await wg.WriteAsync<long>(fields[0], seq);
                    await wg.WriteAsync<int>(fields[1], kind);
                    await wg.WriteAsync<long>(fields[2], id);
                    await wg.WriteAsync(fields[3], customer);
                    await wg.WriteAsync<int>(fields[4], qty);
                    await wg.WriteAsync<double>(fields[5], price);
                    await wg.WriteAsync<long>(fields[6], created);
                }
            }
        }
        finally
        {
            if (writer is not null) await writer.DisposeAsync();
        }
    }
}
