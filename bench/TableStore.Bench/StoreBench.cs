using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using TableStore.Core.IO;
using TableStore.Core.Scan;
using TableStore.Core.Table;
using TableStore.ObjectStores.Azure;

namespace TableStore.Bench;

/// <summary>Write and merged-scan rows/s on Azurite (the Azure Blob protocol over loopback) against the local file system, side by side.</summary>
internal static class StoreBench
{
    public static async Task RunAsync(OrderData data, int runs, string azuriteMain, string radosgwScript = "infra/radosgw.sh")
    {
        var rgwDir = Directory.CreateTempSubdirectory("tablestore-bench-rgw-").FullName;
        int rgwPort;
        using (var l = new TcpListener(IPAddress.Loopback, 0)) { l.Start(); rgwPort = ((IPEndPoint)l.LocalEndpoint).Port; }
        int monPort;
        using (var l = new TcpListener(IPAddress.Loopback, 0)) { l.Start(); monPort = ((IPEndPoint)l.LocalEndpoint).Port; }
        var rgw = Process.Start(new ProcessStartInfo("bash", [radosgwScript, "start", rgwDir, rgwPort.ToString(System.Globalization.CultureInfo.InvariantCulture), monPort.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        var rgwOut = (await rgw.StandardOutput.ReadToEndAsync()).Trim().Split('\n')[^1].Split(' ');
        await rgw.WaitForExitAsync();
        var s3 = new TableStore.ObjectStores.S3.S3Warehouse.Settings(rgwOut[0], "us-east-1", rgwOut[1], rgwOut[2]);
        int port;
        using (var l = new TcpListener(IPAddress.Loopback, 0)) { l.Start(); port = ((IPEndPoint)l.LocalEndpoint).Port; }
        using var azurite = Process.Start(new ProcessStartInfo("node", [azuriteMain, "--blobHost", "127.0.0.1", "--blobPort", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--inMemoryPersistence", "--silent", "--loose", "--skipApiVersionCheck", "--disableTelemetry"]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var connection = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
        await Task.Delay(1500);
        var dir = Directory.CreateTempSubdirectory("tablestore-stores-").FullName;
        try
        {
            var local = new List<(double W, double S)>();
            var azure = new List<(double W, double S)>();
            var rados = new List<(double W, double S)>();
            for (int run = -1; run < runs; run++)
            {
                var l = await OneAsync(new LocalFileSystemObjectStore(Path.Combine(dir, $"l{run + 1}")), data);
                var a = await OneAsync(AzureWarehouse.Open($"az://devstoreaccount1/b{run + 1}x{Guid.NewGuid():N}"[..40], new AzureWarehouse.Settings(connection)), data);
                var r = await OneAsync(TableStore.ObjectStores.S3.S3Warehouse.Open($"s3://b{run + 1}x{Guid.NewGuid():N}"[..30], s3), data);
                if (run < 0) continue; // warm-up
                local.Add(l);
                azure.Add(a);
                rados.Add(r);
            }
            Console.WriteLine($"## {data.Rows.Count:N0} rows, 4 buckets, 4 commits, merged full scan; median of {runs}");
            Console.WriteLine("| store | write rows/s | scan rows/s |");
            Console.WriteLine("| --- | ---: | ---: |");
            Console.WriteLine($"| local file system | {OrderData.Median(local.Select(x => x.W)):N0} | {OrderData.Median(local.Select(x => x.S)):N0} |");
            Console.WriteLine($"| Azure Blob (Azurite, loopback) | {OrderData.Median(azure.Select(x => x.W)):N0} | {OrderData.Median(azure.Select(x => x.S)):N0} |");
            Console.WriteLine($"| S3 (Ceph RADOS Gateway, loopback) | {OrderData.Median(rados.Select(x => x.W)):N0} | {OrderData.Median(rados.Select(x => x.S)):N0} |");
            Console.WriteLine($"| ratio Azurite / local | {OrderData.Median(azure.Select(x => x.W)) / OrderData.Median(local.Select(x => x.W)):P0} | {OrderData.Median(azure.Select(x => x.S)) / OrderData.Median(local.Select(x => x.S)):P0} |");
            Console.WriteLine($"| ratio radosgw / local | {OrderData.Median(rados.Select(x => x.W)) / OrderData.Median(local.Select(x => x.W)):P0} | {OrderData.Median(rados.Select(x => x.S)) / OrderData.Median(local.Select(x => x.S)):P0} |");
        }
        finally
        {
            azurite.Kill(entireProcessTree: true);
            using (var stop = Process.Start(new ProcessStartInfo("bash", [radosgwScript, "stop", rgwDir]) { UseShellExecute = false })!) await stop.WaitForExitAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<(double Write, double Scan)> OneAsync(IObjectStore store, OrderData data)
    {
        var table = await OrderData.CreateWriteOnlyTableAsync(store, 4);
        var sw = Stopwatch.StartNew();
        double write = await data.WriteInCommitsAsync(table, 4) / sw.Elapsed.TotalSeconds;
        sw.Restart();
        long n = 0;
        await foreach (var _ in (await table.ScanAsync(new ScanOptions())).Rows) n++;
        return (write, n / sw.Elapsed.TotalSeconds);
    }
}
