using Orleans.Concurrency;
using TableStore.Abstractions;
using TableStore.Client;
using TableStore.Core.Api;
using TableStore.Core.Data;
using TableStore.Core.Schema;
using TableStore.Core.Table;
using TableStore.Core.Streaming;

namespace OrderAnalytics;

/// <summary>The application's tables: orders (written by order grains) and the revenue aggregate with its progress.</summary>
public static class Tables
{
    public const string Orders = "shop.orders";
    public const string Revenue = "shop.revenue";

    /// <summary>The revenue table's row that holds how far the aggregate has read the orders' changes.</summary>
    public const string ProgressRow = "#progress";

    public static async Task CreateAsync(ITableStore client)
    {
        var existing = await client.ListTablesAsync();
        // lookup: every change of an order carries its previous amount, so revenue can be corrected exactly.
        if (!existing.Contains(Orders))
            await client.CreateTableAsync(Orders, new TableDefinition(SchemaParser.ParseColumns("order_id BIGINT, customer STRING NOT NULL, amount DECIMAL(12,2) NOT NULL"),
                ["order_id"], Buckets: 4, Options: new Dictionary<string, string> { ["changelog-producer"] = "lookup" }));
        if (!existing.Contains(Revenue))
            await client.CreateTableAsync(Revenue, new TableDefinition(SchemaParser.ParseColumns("customer STRING, revenue DECIMAL(18,2), next_snapshot BIGINT"), ["customer"]));
    }
}

public interface IOrderGrain : IGrainWithIntegerKey
{
    /// <summary>Places (or changes) this order; returns once it is committed.</summary>
    Task PlaceAsync(string customer, decimal amount);

    Task CancelAsync();
}

public interface IRevenueGrain : IGrainWithStringKey
{
    Task<decimal> GetRevenueAsync(string customer);

    /// <summary>Waits until every order committed so far is counted.</summary>
    Task CatchUpAsync();

    /// <summary>Deactivates the grain (as a crash or a rebalancing would): its state comes back from the revenue table.</summary>
    Task RestartAsync();
}

/// <summary>One order: writes it to the orders table (an upsert by order id), or deletes it.</summary>
public sealed class OrderGrain(TableStoreClient tables) : Grain, IOrderGrain
{
    private string? _customer;

    public async Task PlaceAsync(string customer, decimal amount)
    {
        _customer = customer;
        await tables.WriteAsync(Tables.Orders, [new ChangeRow(RowKind.Insert, [this.GetPrimaryKeyLong(), customer, amount])]);
    }

    public async Task CancelAsync() =>
        await tables.WriteAsync(Tables.Orders, [new ChangeRow(RowKind.Delete, [this.GetPrimaryKeyLong(), _customer ?? "", 0m])]);
}

/// <summary>
/// Revenue per customer, kept from a subscription to the orders' changes. Each batch's effect and the next snapshot
/// to read are written to the revenue table in one atomic write, so after a restart (of this grain or its silo) it
/// resumes exactly after the last batch it counted: no order is counted twice or missed. Reentrant, so that the
/// stream's own calls into it, its timer and queries interleave with a waiting <see cref="CatchUpAsync"/>; batches
/// are applied by one timer, in order.
/// </summary>
[Reentrant]
public sealed class RevenueGrain(TableStoreClient tables) : Grain, IRevenueGrain
{
    private readonly Dictionary<string, decimal> _revenue = new(StringComparer.Ordinal);
    private long _next = 1;
    private TableSubscription? _subscription;
    private const string ConsumerId = "revenue";
    private readonly System.Collections.Concurrent.ConcurrentQueue<ChangeBatch> _queue = new();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await Tables.CreateAsync(tables);
        var scan = await tables.ScanAsync(Tables.Revenue, ct: cancellationToken);
        await foreach (var row in scan.Rows)
        {
            if ((string)row[0]! == Tables.ProgressRow) _next = (long)row[2]!;
            else _revenue[(string)row[0]!] = (decimal)row[1]!;
        }
        // The subscription hands batches over through a queue that a grain timer drains in the grain's own context:
        // its callbacks run outside the grain, and a call back into the grain could wait on its own deactivation.
        // A batch queued but not yet counted when the grain goes is read again from the lake: the position is durable.
        this.RegisterGrainTimer(async () =>
        {
            if (_subscription is null || _subscription.Completion.IsFaulted)
            {
                if (_subscription is not null) await _subscription.DisposeAsync(); // e.g. the orders table was unreachable for good: start over
                _queue.Clear();
                // The consumer id protects the snapshots not counted yet from expiration; its position is set only
                // after a batch is durably counted (below), and the revenue table's own position is the authority.
                _subscription = await tables.SubscribeAsync(Tables.Orders, b => { _queue.Enqueue(b); return Task.CompletedTask; },
                    new SubscriptionOptions { Start = $"snapshot:{_next}", ConsumerId = ConsumerId, RecordProgress = false, CatchUpInterval = TimeSpan.FromMilliseconds(200) });
            }
            while (_queue.TryDequeue(out var batch)) await ApplyAsync(batch);
        }, new GrainTimerCreationOptions(TimeSpan.Zero, TimeSpan.FromMilliseconds(50)));
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_subscription is not null) await _subscription.DisposeAsync();
    }

    private async Task ApplyAsync(ChangeBatch change)
    {
        if (change.SnapshotId < _next) return; // already counted (a redelivery after a restart)
        var updated = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var row in change.Rows)
        {
            var customer = (string)row.Values[1]!;
            var amount = (decimal)row.Values[2]!;
            var current = updated.TryGetValue(customer, out var u) ? u : _revenue.GetValueOrDefault(customer);
            updated[customer] = current + (row.Kind.IsRetract() ? -amount : amount);
        }
        // Durable first: the totals and the position together, in one write. Only then in memory.
        var rows = updated.Select(kv => new ChangeRow(RowKind.Insert, [kv.Key, kv.Value, null]))
            .Append(new ChangeRow(RowKind.Insert, [Tables.ProgressRow, null, change.SnapshotId + 1])).ToList();
        await tables.WriteAsync(Tables.Revenue, rows, new WriteIdentity("revenue", change.SnapshotId));
        foreach (var (customer, value) in updated) _revenue[customer] = value;
        _next = change.SnapshotId + 1;
        await tables.SetConsumerAsync(Tables.Orders, ConsumerId, _next);
    }

    public Task RestartAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task<decimal> GetRevenueAsync(string customer) => Task.FromResult(_revenue.GetValueOrDefault(customer));

    public async Task CatchUpAsync()
    {
        var latest = (await tables.ListSnapshotsAsync(Tables.Orders)).Select(s => s.Id).DefaultIfEmpty(0).Max();
        for (int i = 0; i < 400 && _next <= latest; i++) await Task.Delay(50);
        if (_next <= latest) throw new TimeoutException($"Revenue is at snapshot {_next - 1} of the orders, which are at {latest}.");
    }
}
