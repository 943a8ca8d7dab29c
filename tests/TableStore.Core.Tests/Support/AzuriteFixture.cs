using System.Diagnostics;
using Azure.Storage.Blobs;
using TableStore.ObjectStores.Azure;

namespace TableStore.Core.Tests.Support;

/// <summary>
/// Azurite (npm, installed by <c>bash infra/azurite.sh install</c> into infra/.azurite) on 127.0.0.1 and a free port, in memory, for the tests that
/// need the real Azure Blob protocol. Fails with instructions when Azurite is not installed.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private Process? _process;

    public string ConnectionString { get; private set; } = "";

    /// <summary>The account's blob endpoint, <c>http://127.0.0.1:port/devstoreaccount1</c>.</summary>
    public Uri BlobEndpoint { get; private set; } = null!;

    /// <summary>A store on a fresh container (each test its own), through its own client (like another process).</summary>
    public AzureBlobObjectStore NewStore(string? container = null) =>
        AzureWarehouse.Open($"az://devstoreaccount1/{container ?? "t" + Guid.NewGuid().ToString("N")[..20]}/wh", new AzureWarehouse.Settings(ConnectionString));

    public async Task InitializeAsync()
    {
        var main = Environment.GetEnvironmentVariable("AZURITE_MAIN") ?? LocalServers.FindInRepository("infra", ".azurite", "node_modules", "azurite", "dist", "src", "blob", "main.js")
            ?? throw new InvalidOperationException("Azurite is not installed: run 'bash infra/azurite.sh install' (bash infra/test.sh does this), or set AZURITE_MAIN to its dist/src/blob/main.js.");
        int port = LocalServers.FreePort();
        _process = Process.Start(new ProcessStartInfo("node", [main, "--blobHost", "127.0.0.1", "--blobPort", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--inMemoryPersistence", "--silent", "--loose", "--skipApiVersionCheck", "--disableTelemetry"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        BlobEndpoint = new Uri($"http://127.0.0.1:{port}/devstoreaccount1");
        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};BlobEndpoint={BlobEndpoint};";
        var service = new BlobServiceClient(ConnectionString);
        for (var deadline = DateTime.UtcNow.AddSeconds(30); ; await Task.Delay(100))
        {
            try
            {
                await service.GetPropertiesAsync();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline && !_process.HasExited) { }
        }
    }

    public Task DisposeAsync()
    {
        try { _process?.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
        _process?.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "azurite";
}
