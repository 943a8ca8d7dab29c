using TableStore.Server;

// The embedded default: ./warehouse, localhost clustering, in-memory streams, gateway port 30000.
// Settings: appsettings.json, TableStore__* environment variables, or --TableStore:Key=value arguments.
try
{
    using var host = TableStoreServer.Build(args);
    await host.RunAsync();
    return 0;
}
catch (Exception e) when (e is InvalidOperationException or Orleans.Runtime.OrleansConfigurationException)
{
    // A setting is wrong: say which, without a stack trace.
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
