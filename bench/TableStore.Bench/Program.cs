using System.Diagnostics;
using System.Globalization;
using TableStore.Bench;

// End-to-end benchmarks, each side by side with its raw Parquet.Net peer on the same rows in the same run.
// Usage: dotnet run -c Release --project bench/TableStore.Bench -- [rows] [runs]
// The whole-process peers of `tablestore write` and `tablestore scan --format csv` (see RawCsvPeer): no data generated.
if (args.Length > 0 && args[0] == "raw-write")
{
    await RawCsvPeer.WriteAsync(args[1], args[2]);
    return;
}
if (args.Length > 0 && args[0] == "raw-scan")
{
    await RawCsvPeer.ScanAsync(args[1]);
    return;
}
switch (args.Length > 0 ? args[0] : "")
{
    case "duckdb-write": PeerEngines.DuckDbWrite(args[1], args[2]); return;
    case "duckdb-scan": PeerEngines.DuckDbScan(args[1]); return;
    case "rocksdb-write": PeerEngines.RocksDbWrite(args[1], args[2]); return;
    case "rocksdb-scan": PeerEngines.RocksDbScan(args[1]); return;
}
if (args.Length > 0 && args[0] == "write-stages")
{
    await WriteStages.RunAsync(args[1], args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3);
    return;
}

int rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
int runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;

Console.WriteLine($"# TableStore benchmarks: {rows:N0} rows, 4 buckets, ~30% updates, median of {runs} runs");
Console.WriteLine($"# {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
var data = OrderData.Generate(rows, seed: 1);
Console.WriteLine($"# generated {data.Rows.Count:N0} rows over {data.DistinctKeys:N0} keys");

var results = new List<(string Name, Result TableStore, Result Raw)>();
using var bench = new WriteScanBench(data);
if (args.Length > 2 && args[2] == "service")
{
    // Usage: ... -- [rows] [runs] service [lookups] [writers] [rows per write]
    int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
    await ServiceBench.RunAsync(data, Arg(3, 100_000), Arg(4, 16), Arg(5, 5000), runs);
    return;
}
if (args.Length > 2 && args[2] == "compaction-ratio")
{
    // Usage: ... -- [rows] [runs] compaction-ratio
    await CompactionRatioBench.RunAsync(data, runs, Console.Out);
    return;
}
if (args.Length > 2 && args[2] == "lookups-in-process")
{
    // Usage: ... -- [rows] [runs] lookups-in-process [lookups]
    await ServiceBench.InProcessLookupsAsync(data, args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 100_000, Console.Out);
    return;
}
if (args.Length > 2 && args[2] == "stores")
{
    // Usage: ... -- [rows] [runs] stores [path to azurite's dist/src/blob/main.js]
    await StoreBench.RunAsync(data, runs, args.Length > 3 ? args[3] : "infra/.azurite/node_modules/azurite/dist/src/blob/main.js");
    return;
}
if (args.Length > 2 && args[2] == "requests")
{
    // Usage: ... -- [rows] [runs] requests [commits] [rows per commit]
    int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
    await RequestCostBench.RunAsync(Arg(3, 200), Arg(4, 1000));
    return;
}
if (args.Length > 2 && args[2] == "remote-scan")
{
    // Usage: ... -- [rows] [runs] remote-scan [commits] [ms per request]
    int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
    await RemoteScanBench.RunAsync(data, runs, Arg(3, 8), TimeSpan.FromMilliseconds(Arg(4, 20)));
    return;
}
if (args.Length > 2 && args[2] == "freshness")
{
    // Usage: ... -- [rows] [runs] freshness [seconds] [writers] [rows per write] [pause ms] [commit intervals, comma-separated] [memory,kafka]
    int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
    await FreshnessBench.RunAsync(Arg(3, 15), Arg(4, 4), Arg(5, 50), Arg(6, 20), (args.Length > 7 ? args[7] : "00:00:00.050,00:00:00.100,00:00:00.250").Split(','),
        (args.Length > 8 ? args[8] : "memory").Split(','));
    return;
}
if (args.Length > 2 && args[2] == "ingest")
{
    // Usage: ... -- [rows] [runs] ingest
    await IngestBench.RunAsync(rows, runs);
    return;
}
if (args.Length > 2 && args[2] == "sql")
{
    // Usage: ... -- [upsert rows] [runs] sql [append-only rows]
    await SqlBench.RunAsync(rows, args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : rows * 10, runs);
    return;
}
if (args.Length > 2 && args[2] == "compaction")
{
    // Usage: ... -- [rows] [runs] compaction [input commits] [steady commits] [rows per commit] [keys] [csv]
    int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
    await CompactionBench.RunAsync(data, runs, Arg(3, 10), Arg(4, 300), Arg(5, 5000), Arg(6, 200_000), args.Length > 7 ? args[7] : "compaction-steady.csv");
    return;
}
if (args.Length > 2 && args[2] == "breakdown")
{
    await Breakdown.RunAsync(data);
    await Breakdown.RunAsync(data);
    return;
}
if (args.Length > 2)
{
    // Profiling mode: run one side only, e.g. under dotnet-trace or perf: ... -- 1000000 3 write|scan
    if (args[2] == "scan") await bench.TableStoreWriteAsync();
    for (int i = 0; i < runs; i++)
    {
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        if (args[2] == "scan") await bench.TableStoreScanAsync();
        else await bench.TableStoreWriteAsync();
        Console.WriteLine($"{args[2]} run {i}: {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1e6:N0} MB allocated");
    }
    return;
}

var (write, rawWrite) = MeasurePair(runs, bench.TableStoreWriteAsync, bench.RawParquetWriteAsync);
results.Add(("write, 4 commits (rows/s)", write.Rate(rows), rawWrite.Rate(rows)));
var (scan, rawScan) = MeasurePair(runs, bench.TableStoreScanAsync, bench.RawParquetScanAsync);
results.Add(("merged full scan (rows/s)", scan.Rate(bench.ScannedRows), rawScan.Rate(bench.ScannedRows)));

Console.WriteLine();
Console.WriteLine("| benchmark | TableStore (median, min–max) | raw Parquet.Net (median, min–max) | ratio of medians |");
Console.WriteLine("| --- | ---: | ---: | ---: |");
foreach (var (name, ts, raw) in results)
    Console.WriteLine($"| {name} | {ts.Median:N0} ({ts.Min:N0}–{ts.Max:N0}) | {raw.Median:N0} ({raw.Min:N0}–{raw.Max:N0}) | {ts.Median / raw.Median:P0} |");

// The two sides run alternately (A B A B ...) after a shared warm-up, so drift in machine load and GC
// state hits both alike.
static (Timings A, Timings B) MeasurePair(int runs, Func<Task> a, Func<Task> b)
{
    for (int i = 0; i < 3; i++) { a().GetAwaiter().GetResult(); b().GetAwaiter().GetResult(); }
    var ta = new List<double>();
    var tb = new List<double>();
    for (int i = 0; i < runs; i++)
    {
        ta.Add(Time(a));
        tb.Add(Time(b));
    }
    return (new Timings(ta), new Timings(tb));
}

static double Time(Func<Task> action)
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    var sw = Stopwatch.StartNew();
    action().GetAwaiter().GetResult();
    return sw.Elapsed.TotalSeconds;
}

internal sealed record Timings(List<double> Seconds)
{
    public Result Rate(long rows)
    {
        var rates = Seconds.Select(s => rows / s).Order().ToList();
        return new Result(rates[rates.Count / 2], rates[0], rates[^1]);
    }
}

internal sealed record Result(double Median, double Min, double Max);
