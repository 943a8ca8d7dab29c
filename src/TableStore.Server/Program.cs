using Microsoft.Extensions.Hosting;
using TableStore.Server;

// The embedded default: ./warehouse, localhost clustering, in-memory streams, gateway port 30000.
// Settings: appsettings.json, TableStore__* environment variables, or --TableStore:Key=value arguments.
IHost host;
try
{
    host = TableStoreServer.Build(args);
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
await host.RunAsync();
return 0;
