using OrderAnalytics;
using TableStore.Service.Tests.Support;

namespace TableStore.Service.Tests;

/// <summary>
/// The sample (samples/OrderAnalytics) in a 3-silo cluster: order grains write orders, the revenue grain keeps revenue
/// per customer from a subscription; it is restarted between rounds of orders and never counts an order twice.
/// </summary>
[Collection(ThreeSiloCollection.Name)]
public sealed class OrderAnalyticsSampleTests(ThreeSiloCluster fixture)
{
    [Fact]
    public async Task Revenue_follows_orders_placed_changed_and_cancelled_across_restarts()
    {
        var grains = fixture.Cluster.GrainFactory;
        await Tables.CreateAsync(fixture.Client);
        var revenue = grains.GetGrain<IRevenueGrain>("all");
        var placed = new Dictionary<long, (string Customer, decimal Amount)>();
        string[] customers = ["ann", "bob", "cid", "dee"];
        var random = new Random(5);
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < 15; i++)
            {
                long id = random.Next(1, 25);
                if (placed.ContainsKey(id) && random.Next(4) == 0)
                {
                    await grains.GetGrain<IOrderGrain>(id).CancelAsync();
                    placed.Remove(id);
                    continue;
                }
                var order = (customers[random.Next(customers.Length)], (decimal)random.Next(1, 500) / 4);
                await grains.GetGrain<IOrderGrain>(id).PlaceAsync(order.Item1, order.Item2); // a second place changes the order
                placed[id] = order;
            }
            await revenue.CatchUpAsync();
            foreach (var c in customers)
                Assert.Equal(placed.Values.Where(o => o.Customer == c).Sum(o => o.Amount), await revenue.GetRevenueAsync(c));
            await revenue.RestartAsync();
        }
    }
}
