using System.Diagnostics.Metrics;
using TableStore.Core.Data;
using TableStore.Core.Diagnostics;
using TableStore.Core.Tests.Support;

namespace TableStore.Core.Tests;

public class MetricsTests
{
    [Fact]
    public async Task Commits_and_written_rows_are_counted_per_table()
    {
        var measurements = new List<(string Name, long Value, string? Table)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Meter.Name == TableStoreMetrics.MeterName) l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? table = null;
            foreach (var t in tags) if (t.Key == "table") table = (string?)t.Value;
            lock (measurements) measurements.Add((instrument.Name, value, table));
        });
        listener.Start();

        var table = await TestTables.CreateAsync(new InMemoryObjectStore(), TestTables.Orders(buckets: 1), "metrics.orders");
        await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [1L, "a", 1m, null]), new ChangeRow(RowKind.Insert, [2L, "b", 2m, null])]);

        lock (measurements)
        {
            var mine = measurements.Where(m => m.Table == "metrics.orders").ToList();
            Assert.Equal(1, mine.Where(m => m.Name == "tablestore.commits").Sum(m => m.Value));
            Assert.Equal(2, mine.Where(m => m.Name == "tablestore.rows.written").Sum(m => m.Value));
            Assert.Equal(1, mine.Where(m => m.Name == "tablestore.files.written").Sum(m => m.Value));
        }
    }
}
