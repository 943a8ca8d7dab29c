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
