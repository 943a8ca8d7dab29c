using System.Diagnostics;
using TableStore.Core.Data;
using TableStore.Core.Ingest;
using TableStore.Core.Schema;
using TableStore.Core.Table;

namespace TableStore.Bench;

/// <summary>
/// Where a write of a CSV file spends its time, in process (<c>write-stages FILE</c>, a <c>bench/make_csv.py</c> file):
/// reading and validating the rows alone, then into a table's memtables, then the flush and commit. Each stage runs
/// from the start again, so the differences are the stages' costs.
/// </summary>
internal static class WriteStages
{
    public static async Task RunAsync(string csvPath, int rounds)
    {
        var columns = SchemaParser.ParseColumns("id BIGINT NOT NULL, customer STRING, amount DOUBLE, note STRING");
        var schema = new TableSchema(0, columns, ["id"], null, 4);
        for (int round = 0; round < rounds; round++)
        {
            var sw = Stopwatch.StartNew();
            long n = 0;
            using (var input = File.OpenText(csvPath))
                foreach (var _ in RowReaders.ReadCsv(input, schema, csvPath)) n++;
            Report($"read and validate {n:N0} rows", sw);

            var dir = Path.Combine(Path.GetTempPath(), $"tablestore-stages-{Guid.NewGuid():N}");
            var catalog = new Catalog(TableStore.Core.IO.ObjectStoreExtensions.OpenWarehouse(dir));
            var table = await catalog.CreateTableAsync(Identifier.Parse("bench.t"), new TableDefinition(columns, ["id"], null, 4));
            sw.Restart();
            var write = await table.NewWriteAsync();
            using (var input = File.OpenText(csvPath))
                foreach (var row in RowReaders.ReadCsv(input, schema, csvPath)) await write.WriteAsync(row);
            Report("read, validate and buffer in the memtables", sw);
            var messages = await write.PrepareCommitAsync();
            Report("flush: sort, dedupe, encode", sw);
            await table.NewCommit("bench").CommitAsync(new TableStore.Core.Commit.CommitRequest(messages, 1));
            Report("commit", sw);
            Directory.Delete(dir, recursive: true);
            Console.WriteLine($"(GC pauses so far {GC.GetTotalPauseDuration().TotalMilliseconds:N0} ms, gen2 collections {GC.CollectionCount(2)}, allocated {GC.GetTotalAllocatedBytes() / 1e6:N0} MB)");
        }
    }

    private static void Report(string what, Stopwatch sw)
    {
        Console.WriteLine($"{sw.Elapsed.TotalMilliseconds,8:N0} ms  {what}");
        sw.Restart();
    }
}
