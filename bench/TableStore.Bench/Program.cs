using System.Diagnostics;
using System.Globalization;
using TableStore.Bench;

// End-to-end benchmarks, each side by side with its raw Parquet.Net peer on the same rows in the same run.
// Usage: dotnet run -c Release --project bench/TableStore.Bench -- [rows] [runs]
int rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
int runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;

Console.WriteLine($"# TableStore benchmarks: {rows:N0} rows, 4 buckets, ~30% updates, median of {runs} runs");
Console.WriteLine($"# {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
var data = OrderData.Generate(rows, seed: 1);
Console.WriteLine($"# generated {data.Rows.Count:N0} rows over {data.DistinctKeys:N0} keys");

var results = new List<(string Name, double TableStore, double Raw)>();
using var bench = new WriteScanBench(data);
if (args.Length > 2 && args[2] == "breakdown")
{
    await Breakdown.RunAsync(data);
    await Breakdown.RunAsync(data);
    return;
}
if (args.Length > 2)
{
    // Profiling mode: run one side only, e.g. under dotnet-trace: ... -- 1000000 3 write|scan
    for (int i = 0; i < runs; i++)
    {
        await bench.TableStoreWriteAsync();
        if (args[2] == "scan") await bench.TableStoreScanAsync();
    }
    return;
}
var write = Measure(runs, bench.TableStoreWriteAsync);
var rawWrite = Measure(runs, bench.RawParquetWriteAsync);
results.Add(("write (rows/s)", rows / write, rows / rawWrite));
var scan = Measure(runs, bench.TableStoreScanAsync);
var rawScan = Measure(runs, bench.RawParquetScanAsync);
results.Add(("merged full scan (rows/s)", bench.ScannedRows / scan, bench.ScannedRows / rawScan));

Console.WriteLine();
Console.WriteLine("| benchmark | TableStore | raw Parquet.Net | ratio |");
Console.WriteLine("| --- | ---: | ---: | ---: |");
foreach (var (name, ts, raw) in results)
    Console.WriteLine($"| {name} | {ts:N0} | {raw:N0} | {ts / raw:P0} |");

static double Measure(int runs, Func<Task> action)
{
    // Warm-up until tiered compilation has settled (OSR and tier-1 rejits), as a long-running service would be.
    for (int i = 0; i < 3; i++) action().GetAwaiter().GetResult();
    var times = new List<double>();
    for (int i = 0; i < runs; i++)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var sw = Stopwatch.StartNew();
        action().GetAwaiter().GetResult();
        times.Add(sw.Elapsed.TotalSeconds);
    }
    times.Sort();
    return times[times.Count / 2];
}
