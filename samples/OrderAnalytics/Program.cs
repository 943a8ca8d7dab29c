using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderAnalytics;
using TableStore.Abstractions;
using TableStore.Client;
using TableStore.Grains.Hosting;

// An Orleans application with TableStore inside: order grains write orders to a TableStore table, a revenue grain
// keeps revenue per customer from a subscription to the orders' changes. Run: dotnet run --project samples/OrderAnalytics
var warehouse = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "order-analytics-warehouse");
using var host = Host.CreateDefaultBuilder()
    .ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning))
    .UseOrleans(silo => silo
        .UseLocalhostClustering()
        .AddTableStore(o => o.Warehouse = warehouse)
        .AddMemoryGrainStorage("PubSubStore")
        .AddMemoryStreams(ChangeStreams.DefaultProvider))
    .ConfigureServices(s => s.AddTableStoreClient())
    .Build();
await host.StartAsync();
var grains = host.Services.GetRequiredService<IGrainFactory>();
await Tables.CreateAsync(host.Services.GetRequiredService<TableStoreClient>());

string[] customers = ["ann", "bob", "cid"];
var random = new Random();
var placed = new Dictionary<long, (string Customer, decimal Amount)>(); // what the totals must come to
for (int i = 0; i < 30; i++)
{
    long id = random.Next(1, 20);
    var order = (customers[random.Next(3)], (decimal)random.Next(1, 100));
    await grains.GetGrain<IOrderGrain>(id).PlaceAsync(order.Item1, order.Item2);
    placed[id] = order;
}
if (placed.Remove(1)) await grains.GetGrain<IOrderGrain>(1).CancelAsync();

var revenue = grains.GetGrain<IRevenueGrain>("all");
await revenue.RestartAsync(); // as after a crash: it comes back from its table and counts nothing twice
await revenue.CatchUpAsync();
var failed = false;
foreach (var c in customers)
{
    var total = await revenue.GetRevenueAsync(c);
    var placedNow = placed.Values.Where(o => o.Customer == c).Sum(o => o.Amount);
    Console.WriteLine($"{c}: {total:N2}{(total == placedNow ? "" : $" (orders placed in this run: {placedNow:N2})")}");
}
Console.WriteLine($"(warehouse {warehouse}; run again and the totals continue from there)");
await revenue.RestartAsync(); // ends its subscription before the silo stops
await Task.Delay(200);
await host.StopAsync();
return failed ? 1 : 0;
