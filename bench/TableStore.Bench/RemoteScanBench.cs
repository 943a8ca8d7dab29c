using System.Diagnostics;
using System.Runtime.CompilerServices;
using TableStore.Core.IO;
using TableStore.Core.Scan;
using TableStore.Core.Table;

namespace TableStore.Bench;

/// <summary>
/// A scan against a store with a cloud-like round trip (a fixed delay per request over local files): a split's
/// files read one after another (as the engine reads local files) against several at once (as it reads from a
/// remote store). The same table, files and rows; only the request pattern differs.
/// </summary>
internal static class RemoteScanBench
{
    public static async Task RunAsync(OrderData data, int runs, int commits, TimeSpan latency)
    {
        var dir = Directory.CreateTempSubdirectory("tablestore-remote-").FullName;
        try
        {
            var local = new LocalFileSystemObjectStore(dir);
            await data.WriteInCommitsAsync(await OrderData.CreateWriteOnlyTableAsync(local, 4), commits);

            var sequential = new List<double>();
            var parallel = new List<double>();
            for (int run = -1; run < runs; run++)
            {
                var s = await ScanAsync(new DelayedStore(local, latency, remote: false));
                var p = await ScanAsync(new DelayedStore(local, latency, remote: true));
                if (run < 0) continue;
                sequential.Add(s);
                parallel.Add(p);
            }
            Console.WriteLine($"## full scan of {data.Rows.Count:N0} rows in {commits} commits × 4 buckets ({commits} files per bucket), {latency.TotalMilliseconds} ms per request; median of {runs}");
            Console.WriteLine("| files of a split | scan ms |");
            Console.WriteLine("| --- | ---: |");
            Console.WriteLine($"| one after another | {OrderData.Median(sequential):N0} |");
            Console.WriteLine($"| up to 4 at once | {OrderData.Median(parallel):N0} |");
            Console.WriteLine($"| speed-up | {OrderData.Median(sequential) / OrderData.Median(parallel):N1}× |");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<double> ScanAsync(IObjectStore store)
    {
        var table = await new Catalog(store).GetTableAsync(Identifier.Parse("bench.orders"));
        var sw = Stopwatch.StartNew();
        long n = 0;
        await foreach (var _ in (await table.ScanAsync(new ScanOptions())).Rows) n++;
        return sw.Elapsed.TotalMilliseconds;
    }

    /// <summary>Local files with a round trip per request; <c>remote</c> makes the engine treat it as a cloud store.</summary>
    private sealed class DelayedStore(IObjectStore inner, TimeSpan latency, bool remote) : IObjectStore
    {
        public string Location => inner.Location;
        public int? RangeReadBlockSize => remote ? 64 << 20 : null;
        public async Task<byte[]> GetAsync(string path, CancellationToken ct = default) { await Task.Delay(latency, ct); return await inner.GetAsync(path, ct); }
        public async Task<byte[]> GetRangeAsync(string path, long offset, int length, CancellationToken ct = default) { await Task.Delay(latency, ct); return await inner.GetRangeAsync(path, offset, length, ct); }
        public async Task<Stream> OpenReadAsync(string path, CancellationToken ct = default) => new MemoryStream(await GetAsync(path, ct), writable: false);
        public async Task PutAsync(string path, ReadOnlyMemory<byte> data, CancellationToken ct = default) { await Task.Delay(latency, ct); await inner.PutAsync(path, data, ct); }
        public async Task<bool> PutIfAbsentAsync(string path, ReadOnlyMemory<byte> data, CancellationToken ct = default) { await Task.Delay(latency, ct); return await inner.PutIfAbsentAsync(path, data, ct); }
        public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct = default)
        {
            await Task.Delay(latency, ct);
            await foreach (var o in inner.ListAsync(prefix, ct)) yield return o;
        }
        public async Task DeleteAsync(string path, CancellationToken ct = default) { await Task.Delay(latency, ct); await inner.DeleteAsync(path, ct); }
        public async Task<bool> ExistsAsync(string path, CancellationToken ct = default) { await Task.Delay(latency, ct); return await inner.ExistsAsync(path, ct); }
    }
}
