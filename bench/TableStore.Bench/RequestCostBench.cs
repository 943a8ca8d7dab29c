using TableStore.Core.Data;
using TableStore.Core.IO;
using TableStore.Core.Lookup;
using TableStore.Core.Scan;
using TableStore.Core.Schema;
using TableStore.Core.Table;

namespace TableStore.Bench;

/// <summary>
/// Object-store requests per commit, per full scan and per cold point lookup, counted by kind on a warehouse opened as
/// users open it, and what a table committing once a second costs in requests at public S3 prices.
/// </summary>
internal static class RequestCostBench
{
    // S3 Standard, us-east-1: PUT, COPY, POST, LIST $0.005 per 1,000; GET, HEAD and others $0.0004 per 1,000; DELETE free.
    private const double WritePrice = 0.005 / 1000, ReadPrice = 0.0004 / 1000;

    public static async Task RunAsync(int commits, int rowsPerCommit)
    {
        var dir = Directory.CreateTempSubdirectory("tablestore-requests-").FullName;
        try
        {
            var store = (CountingObjectStore)ObjectStoreExtensions.OpenWarehouse(dir);
            var table = await new Catalog(store).CreateTableAsync(Identifier.Parse("bench.requests"),
                new TableDefinition(SchemaParser.ParseColumns(OrderData.Schema), ["id"], null, 4));
            var random = new Random(3);
            var before = store.Counts;
            for (int c = 0; c < commits; c++)
            {
                var rows = Enumerable.Range(0, rowsPerCommit).Select(_ => new ChangeRow(RowKind.Insert,
                    [random.NextInt64(100_000), "customer", random.Next(50), random.NextDouble(), (long)c])).ToList();
                await table.WriteAndCommitAsync(rows);
            }
            var perCommit = Diff(before, store.Counts, commits);

            before = store.Counts;
            var fresh = await new Catalog(store).GetTableAsync(table.Identifier);
            var count = (await (await fresh.ScanAsync(new ScanOptions())).ToListAsync()).Count;
            var perScan = Diff(before, store.Counts, 1);

            before = store.Counts;
            var lookup = new TableLookup(fresh, new LookupFileCache(0)); // cold: no decoded file is kept
            for (int i = 0; i < 100; i++) await lookup.LookupAsync([random.NextInt64(100_000)]);
            var perLookup = Diff(before, store.Counts, 100);

            Console.WriteLine($"## Object-store requests: {commits} commits of {rowsPerCommit:N0} upserts into 4 buckets (writers compact), then a scan of {count:N0} rows and 100 cold lookups");
            Console.WriteLine("| request | per commit | per full scan | per cold lookup | S3 price / 1,000 |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
            foreach (var kind in Enum.GetValues<StoreRequest>())
                Console.WriteLine($"| {kind} | {perCommit[kind]:N2} | {perScan[kind]:N0} | {perLookup[kind]:N2} | ${Price(kind) * 1000:0.0000} |");
            double monthly = perCommit.Sum(kv => kv.Value * Price(kv.Key)) * 30 * 24 * 3600;
            Console.WriteLine($"- A table committing once a second: {perCommit.Values.Sum():N1} requests per commit, ≈ ${monthly:N2} a month in S3 request charges (30 days).");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static double Price(StoreRequest kind) => kind switch
    {
        StoreRequest.Put or StoreRequest.PutIfAbsent or StoreRequest.List => WritePrice,
        StoreRequest.Delete => 0,
        _ => ReadPrice,
    };

    private static Dictionary<StoreRequest, double> Diff(IReadOnlyDictionary<StoreRequest, long> a, IReadOnlyDictionary<StoreRequest, long> b, int per) =>
        Enum.GetValues<StoreRequest>().ToDictionary(k => k, k => (b[k] - a[k]) / (double)per);
}
