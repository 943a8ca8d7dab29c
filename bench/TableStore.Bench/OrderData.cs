using TableStore.Core.Data;
using TableStore.Core.IO;
using TableStore.Core.Schema;
using TableStore.Core.Table;

namespace TableStore.Bench;

/// <summary>Orders with ~30% updates of earlier keys: (id, customer, qty, price, note).</summary>
internal sealed class OrderData
{
    public required List<ChangeRow> Rows { get; init; }
    public int DistinctKeys { get; init; }
    public const string Schema = "id BIGINT, customer STRING NOT NULL, qty INT, price DOUBLE, created BIGINT";

    /// <summary>A <c>bench.orders</c> table with <c>write-only=true</c>: each commit adds one sorted run per bucket.</summary>
    public static Task<FileStoreTable> CreateWriteOnlyTableAsync(IObjectStore store, int buckets) =>
        new Catalog(store).CreateTableAsync(Identifier.Parse("bench.orders"), new TableDefinition(SchemaParser.ParseColumns(Schema), ["id"], null, buckets,
            new Dictionary<string, string> { [CoreOptions.WriteOnlyKey] = "true" }));

    /// <summary>Writes the rows in <paramref name="commits"/> equal commits (copies: the engine takes rows over); returns the rows written.</summary>
    public async Task<long> WriteInCommitsAsync(FileStoreTable table, int commits)
    {
        int per = Rows.Count / commits;
        for (int c = 0; c < commits; c++)
            await table.WriteAndCommitAsync(Rows.GetRange(c * per, per).Select(r => r with { Values = (object?[])r.Values.Clone() }).ToList());
        return (long)per * commits;
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

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
