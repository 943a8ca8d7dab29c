using TableStore.Core.Data;

namespace TableStore.Bench;

/// <summary>Orders with ~30% updates of earlier keys: (id, customer, qty, price, note).</summary>
internal sealed class OrderData
{
    public required List<ChangeRow> Rows { get; init; }
    public int DistinctKeys { get; init; }
    public const string Schema = "id BIGINT, customer STRING NOT NULL, qty INT, price DOUBLE, created BIGINT";

    public static OrderData Generate(int count, int seed)
    {
        var random = new Random(seed);
        var rows = new List<ChangeRow>(count);
        long nextId = 0;
        for (int i = 0; i < count; i++)
        {
            bool update = nextId > 0 && random.NextDouble() < 0.3;
            long id = update ? random.NextInt64(0, nextId) : nextId++;
            rows.Add(new ChangeRow(update ? RowKind.UpdateAfter : RowKind.Insert,
                [id, $"customer-{random.Next(100_000):D6}-{random.Next(1000):D3}", random.Next(1, 50), Math.Round(random.NextDouble() * 500, 2), 1_700_000_000_000L + i]));
        }
        return new OrderData { Rows = rows, DistinctKeys = (int)nextId };
    }
}
