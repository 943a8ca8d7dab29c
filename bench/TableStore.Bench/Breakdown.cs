using System.Diagnostics;
using TableStore.Core.Format;
using TableStore.Core.IO;
using TableStore.Core.MergeTree;
using TableStore.Core.Schema;
using TableStore.Core.Table;
using TableStore.Core.Utils;

namespace TableStore.Bench;

/// <summary>Times the stages of the write path one by one, to show where the time goes.</summary>
internal static class Breakdown
{
    public static async Task RunAsync(OrderData data)
    {
        var store = new InMemoryObjectStore();
        var table = await new Catalog(store).CreateTableAsync(Identifier.Parse("bench.orders"),
            new TableDefinition(SchemaParser.ParseColumns(OrderData.Schema), ["id"], null, 4));
        var sw = Stopwatch.StartNew();
        var validator = new RowValidator(table.Schema);
        foreach (var r in data.Rows) validator.Validate(r.Kind, r.Values);
        Report("validate", sw);
        var hasher = new BucketHasher(table.Schema);
        int sum = 0;
        foreach (var r in data.Rows) sum += hasher.Bucket(r.Values);
        Report("bucket hash", sw);
        var write = await table.NewWriteAsync();
        foreach (var r in data.Rows) await write.WriteAsync(r);
        Report("TableWrite.WriteAsync (validate+hash+buffer)", sw);
        var keys = new KeyComparer(table.Schema.KeyIndices, table.Schema);
        {
            var chunk = data.Rows.Take(62_000).Select((r, i) => new KeyValue(r.Values, i, r.Kind)).ToArray();
            for (int rep = 0; rep < 5; rep++)
            {
                var copy = (KeyValue[])chunk.Clone();
                sw.Restart();
                var same = KeySorter.Sort(copy, table.Schema, keys);
                var t1 = sw.Elapsed.TotalMilliseconds;
                var merged1 = SortMergeReader.MergeSorted(copy, same, new DeduplicateMergeFunction(), false);
                Console.WriteLine($"KeySorter.Sort 62K: {t1:F1} ms, MergeSorted {sw.Elapsed.TotalMilliseconds - t1:F1} ms");
            }
        }
        var kvs = data.Rows.Select((r, i) => new KeyValue(r.Values, i, r.Kind)).ToArray();
        sw.Restart();
        Array.Sort(kvs, keys.WithSequence());
        Report("sort 1M (key, seq)", sw);
        var merged = SortMergeReader.Merge([kvs], keys, new DeduplicateMergeFunction(), false).ToList();
        Report("dedupe merge", sw);
        var writer = new DataFileWriter(store, table.Paths, table.Schema, TimeProvider.System);
        await writer.EncodeAsync("x", merged, 0, merged.Count, 0, default);
        Report($"encode {merged.Count:N0} rows to Parquet", sw);
        await writer.EncodeAsync("x", merged, 0, merged.Count, 0, default);
        Report($"encode {merged.Count:N0} rows to Parquet again", sw);
        {
            foreach (var size in new[] { 60_000, 250_000, 698_000 })
            {
                var part = merged.Take(size).Select(r => (string)r.Row[1]!).ToArray();
                var fresh = part.Select(x => new string(x.AsSpan())).ToArray();
                foreach (var (label, arr) in new[] { ("scattered", part), ("fresh", fresh) })
                {
                    using var ms3 = new MemoryStream();
                    var sch3 = new Parquet.Schema.ParquetSchema(new Parquet.Schema.DataField<string>("customer", nullable: false));
                    var sw3 = Stopwatch.StartNew();
                    await using (var w3 = await Parquet.ParquetWriter.CreateAsync(sch3, ms3, new Parquet.ParquetOptions { CompressionMethod = Parquet.CompressionMethod.Zstd, CompressionLevel = System.IO.Compression.CompressionLevel.Fastest }))
                    {
                        using var rg3 = w3.CreateRowGroup();
                        await rg3.WriteAsync(sch3.GetDataFields()[0], arr);
                    }
                    Console.WriteLine($"strings {size} {label}: {sw3.Elapsed.TotalMilliseconds:F0} ms");
                }
            }
            var strs = merged.Select(r => (string)r.Row[1]!).ToArray();
            var roms = strs.Select(x => x.AsMemory()).ToArray();
            var sch = new Parquet.Schema.ParquetSchema(new Parquet.Schema.DataField<string>("customer", nullable: false));
            var sch2 = new Parquet.Schema.ParquetSchema(new Parquet.Schema.DataField<string>("customer", nullable: true));
            for (int rep = 0; rep < 3; rep++)
            {
                foreach (var mode in new[] { "string[]", "ArraySegment", "ROM<char>", "string[] nullable" })
                {
                    using var ms2 = new MemoryStream();
                    var sw2 = Stopwatch.StartNew();
                    await using (var w2 = await Parquet.ParquetWriter.CreateAsync(mode.EndsWith("nullable") ? sch2 : sch, ms2, new Parquet.ParquetOptions { CompressionMethod = Parquet.CompressionMethod.Zstd, CompressionLevel = System.IO.Compression.CompressionLevel.Fastest }))
                    {
                        using var rg2 = w2.CreateRowGroup();
                        var fld = (mode.EndsWith("nullable") ? sch2 : sch).GetDataFields()[0];
                        if (mode.StartsWith("string[]")) await rg2.WriteAsync(fld, strs);
                        else if (mode == "ArraySegment") await rg2.WriteAsync(fld, new ArraySegment<string>(strs, 0, strs.Length));
                        else await rg2.WriteAsync<ReadOnlyMemory<char>>(fld, roms);
                    }
                    Console.WriteLine($"strings {mode}: {sw2.ElapsedMilliseconds} ms");
                }
            }
        }
        var ids = merged.Select(r => (long)r.Row[0]!).ToArray();
        var names = merged.Select(r => (string)r.Row[1]!).ToArray();
        Report("extract 2 columns", sw);
        var ps = new Parquet.Schema.ParquetSchema(new Parquet.Schema.DataField<long>("id"), new Parquet.Schema.DataField<string>("customer", nullable: false));
        using (var ms = new MemoryStream())
        {
            await using var w = await Parquet.ParquetWriter.CreateAsync(ps, ms, new Parquet.ParquetOptions { CompressionMethod = Parquet.CompressionMethod.Zstd, CompressionLevel = System.IO.Compression.CompressionLevel.Fastest });
            using var rg = w.CreateRowGroup();
            await rg.WriteAsync<long>(ps.GetDataFields()[0], ids);
            Report("raw write id column", sw);
            await rg.WriteAsync(ps.GetDataFields()[1], names);
            Report("raw write customer column", sw);
        }
        var messages = await write.PrepareCommitAsync();
        Report("PrepareCommit (sort+merge+encode+put, 4 buckets)", sw);
        await table.NewCommit("b").CommitAsync(new TableStore.Core.Commit.CommitRequest(messages, 1));
        Report("commit", sw);
        var scan = await table.ScanAsync(new TableStore.Core.Scan.ScanOptions());
        long n = 0;
        await foreach (var _ in scan.Rows) n++;
        Report($"scan {n:N0} rows", sw);
    }

    private static TimeSpan s_pause;

    private static void Report(string what, Stopwatch sw)
    {
        var pause = GC.GetTotalPauseDuration();
        Console.WriteLine($"{sw.Elapsed.TotalMilliseconds,8:N0} ms  {what} (GC pauses {(pause - s_pause).TotalMilliseconds:N0} ms, gen2 {GC.CollectionCount(2)})");
        s_pause = pause;
        sw.Restart();
    }
}
