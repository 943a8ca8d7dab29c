using System.Diagnostics;
using TableStore.Core.IO;
using TableStore.Core.MergeTree;
using TableStore.Core.Scan;
using TableStore.Core.Schema;
using TableStore.Core.Table;
using TableStore.Testing;

namespace TableStore.Bench;

/// <summary>
/// Times the stages of one 1M-row commit and scan one by one, single-threaded, to show where the time goes
/// (docs/benchmarks.md). Usage: dotnet run -c Release --project bench/TableStore.Bench -- 1000000 1 breakdown
/// </summary>
internal static class Breakdown
{
    public static async Task RunAsync(OrderData data)
    {
        var store = new InMemoryObjectStore();
        var table = await new Catalog(store).CreateTableAsync(Identifier.Parse("bench.orders"),
            new TableDefinition(SchemaParser.ParseColumns(OrderData.Schema), ["id"], null, 1));
        var sw = Stopwatch.StartNew();

        var validator = new RowValidator(table.Schema);
        foreach (var r in data.Rows) validator.Validate(r.Kind, r.Values);
        Report("validate 1M rows", sw);

        var hasher = new BucketHasher(new TableSchema(0, table.Schema.Fields, table.Schema.PrimaryKeys, null, 4));
        int sum = 0;
        foreach (var r in data.Rows) sum += hasher.Bucket(r.Values);
        Report("bucket hash 1M rows", sw);

        using (var memtable = new Memtable(table.Schema))
        {
            for (int i = 0; i < data.Rows.Count; i++) memtable.Add(data.Rows[i].Kind, data.Rows[i].Values, i);
            Report("memtable: 1M rows into columns", sw);
            memtable.SortByKey(out _);
            Report("memtable sort 1M rows by (key, sequence)", sw);
        }

        var write = await table.NewWriteAsync();
        foreach (var r in data.Rows) await write.WriteAsync(r);
        Report("TableWrite.WriteAsync 1M rows (validate, hash, buffer)", sw);
        var messages = await write.PrepareCommitAsync();
        Report($"PrepareCommit: sort, dedupe, encode {messages.Sum(m => m.NewFiles.Sum(f => f.RowCount)):N0} rows to Parquet", sw);
        await table.NewCommit("breakdown").CommitAsync(new TableStore.Core.Commit.CommitRequest(messages, 1));
        Report("commit", sw);

        var plan = await table.NewScan().PlanAsync(await table.Snapshots.LatestAsync(), null);
        foreach (var split in plan.Splits)
            foreach (var f in split.Files)
            {
                var bytes = await store.GetAsync(table.Paths.DataFile([], split.Partition, split.Bucket, f.FileName));
                sw.Restart();
                await WriteScanBench.ReadAllColumnsAsync(new MemoryStream(bytes));
                Report($"raw Parquet.Net read of the same file ({f.RowCount:N0} rows)", sw);
            }
        var needed = Enumerable.Repeat(true, table.Schema.Fields.Length).ToArray();
        var read = table.NewRead();
        var prepared = new List<PreparedSplit>();
        foreach (var split in plan.Splits) prepared.Add(await read.PrepareAsync(split, needed));
        Report("scan: open the splits, decode their first row groups and merge a first segment", sw);
        long n = 0;
        foreach (var p in prepared) { await foreach (var _ in p.Rows()) n++; await p.DisposeAsync(); }
        Report($"scan: the rest of the merge, boxing {n:N0} rows", sw);
        Console.WriteLine($"(GC pauses so far {GC.GetTotalPauseDuration().TotalMilliseconds:N0} ms, gen2 collections {GC.CollectionCount(2)}, check {sum})");
    }

    private static void Report(string what, Stopwatch sw)
    {
        Console.WriteLine($"{sw.Elapsed.TotalMilliseconds,8:N0} ms  {what}");
        sw.Restart();
    }
}
