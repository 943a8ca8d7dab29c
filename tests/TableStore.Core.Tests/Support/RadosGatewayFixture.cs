using System.Diagnostics;
using TableStore.ObjectStores.S3;

namespace TableStore.Core.Tests.Support;

/// <summary>
/// Ceph's RADOS Gateway (S3 with conditional writes) on a one-node in-memory Ceph cluster on 127.0.0.1, started by
/// infra/radosgw.sh (ceph-mon, ceph-osd, radosgw from apt; <c>bash infra/test.sh</c> installs them).
/// </summary>
public sealed class RadosGatewayFixture : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tablestore-rgw-").FullName;
    private string _script = "";

    public S3Warehouse.Settings Settings { get; private set; } = new();

    /// <summary>A store on a fresh bucket (each test its own), through its own client (like another process).</summary>
    public S3ObjectStore NewStore(string? bucket = null, string prefix = "wh") =>
        S3Warehouse.Open($"s3://{bucket ?? "t" + Guid.NewGuid().ToString("N")[..20]}/{prefix}", Settings);

    public async Task InitializeAsync()
    {
        if (!File.Exists("/usr/bin/radosgw"))
            throw new InvalidOperationException("radosgw is not installed: run 'bash infra/radosgw.sh install' (bash infra/test.sh does this).");
        _script = LocalServers.FindInRepository("infra", "radosgw.sh") ?? throw new InvalidOperationException("infra/radosgw.sh not found above the test folder.");
        int port = LocalServers.FreePort(), monitorPort = LocalServers.FreePort();
        while (monitorPort == port) monitorPort = LocalServers.FreePort();
        // Its own monitor port too, so another cluster on this machine (a benchmark, a second test run) cannot clash.
        var start = Process.Start(new ProcessStartInfo("bash", [_script, "start", _dir, port.ToString(System.Globalization.CultureInfo.InvariantCulture), monitorPort.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var stdout = await start.StandardOutput.ReadToEndAsync();
        var stderr = await start.StandardError.ReadToEndAsync();
        await start.WaitForExitAsync();
        var parts = stdout.Trim().Split('\n')[^1].Trim().Split(' '); // the last line: "endpoint key secret"
        if (start.ExitCode != 0 || parts.Length != 3)
            throw new InvalidOperationException($"radosgw did not start (exit {start.ExitCode}): {stdout} {stderr}");
        Settings = new S3Warehouse.Settings(parts[0], "us-east-1", parts[1], parts[2]);
    }

    public async Task DisposeAsync()
    {
        if (_script.Length > 0)
            using (var stop = Process.Start(new ProcessStartInfo("bash", [_script, "stop", _dir]) { UseShellExecute = false })!)
                await stop.WaitForExitAsync();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class RadosGatewayCollection : ICollectionFixture<RadosGatewayFixture>
{
    public const string Name = "radosgw";
}
