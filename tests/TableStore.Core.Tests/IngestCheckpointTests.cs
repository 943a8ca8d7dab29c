using TableStore.Core.Commit;
using TableStore.Core.Data;
using TableStore.Core.Ingest;
using TableStore.Core.IO;
using TableStore.Core.Maintenance;
using TableStore.Core.Scan;
using TableStore.Core.Schema;
using TableStore.Core.Table;
using TableStore.Core.Tests.Support;

namespace TableStore.Core.Tests;

/// <summary>
/// Exactly-once ingestion's bookkeeping, against a model of a partitioned log: offsets committed with the rows,
/// crashes before a commit, a stale second ingester, other writers, compactions and expiry in between.
/// </summary>
public sealed class IngestCheckpointTests
{
    private const string Source = "kafka/g/events";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Every_message_lands_exactly_once_through_crashes_fencing_other_writers_and_expiry(int seed)
    {
        var random = new Random(seed);
        var store = new InMemoryObjectStore();
        var id = Identifier.Parse("db.events");
        var table = await new Catalog(store).CreateTableAsync(id, new TableDefinition(
            SchemaParser.ParseColumns("p INT NOT NULL, o BIGINT NOT NULL, note STRING"), [], [], 1, null));
        long[] logEnds = [400, 250, 0, 330]; // partition 2 stays empty
        long otherRows = 0;
        var ingester = new IngestCheckpoint(table, Source);
        var positions = new Dictionary<int, long>(await ingester.LoadAsync(default));
        Assert.Empty(positions);

        for (int step = 0; step < 60; step++)
        {
            // Read a few messages from the positions where this ingester resumed.
            var rows = new List<ChangeRow>();
            var next = new Dictionary<int, long>(positions);
            for (int n = random.Next(0, 40); n > 0; n--)
            {
                int p = random.Next(logEnds.Length);
                long at = next.GetValueOrDefault(p);
                if (at >= logEnds[p]) continue;
                rows.Add(new ChangeRow(RowKind.Insert, [p, at, null]));
                next[p] = at + 1;
            }
            switch (random.Next(6))
            {
                case 0:
                    // A crash before the commit: a new process resumes from the table.
                    ingester = new IngestCheckpoint(await new Catalog(store).GetTableAsync(id), Source);
                    positions = new Dictionary<int, long>(await ingester.LoadAsync(default));
                    continue;
                case 1:
                    // A stale ingester that read the same messages (a second process, or this one paused) must not commit them again.
                    var stale = new IngestCheckpoint(await new Catalog(store).GetTableAsync(id), Source);
                    await stale.LoadAsync(default);
                    var copy = rows.Select(r => new ChangeRow(r.Kind, (object?[])r.Values.Clone())).ToList();
                    if (await ingester.CommitAsync(rows, next, default) is null) continue;
                    positions = next;
                    var conflict = await Assert.ThrowsAsync<CommitConflictException>(() => stale.CommitAsync(copy, next, default));
                    Assert.Contains("another ingestion of the same log", conflict.Message);
                    continue;
                case 2:
                    // Another writer, a compaction and an expiry keep the positions.
                    await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [-1, 0L, "other writer"])]);
                    otherRows++;
                    await table.CompactAsync(new CompactOptions { Full = true });
                    await new SnapshotExpiration(table).RunAsync(new ExpireOptions(1));
                    break;
            }
            var result = await ingester.CommitAsync(rows, next, default);
            Assert.Equal(rows.Count > 0 || !next.OrderBy(e => e.Key).SequenceEqual(positions.OrderBy(e => e.Key)), result is not null);
            positions = next;
        }

        var reader = await new Catalog(store).GetTableAsync(id);
        var committed = await new IngestCheckpoint(reader, Source).LoadAsync(default);
        Assert.Equal(positions.OrderBy(e => e.Key), committed.OrderBy(e => e.Key));
        var all = await (await reader.ScanAsync(new ScanOptions())).ToListAsync();
        var ingested = all.Where(r => (int)r[0]! >= 0).Select(r => ((int)r[0]!, (long)r[1]!)).ToList();
        var expected = committed.SelectMany(p => Enumerable.Range(0, (int)p.Value).Select(o => (p.Key, (long)o))).ToList();
        Assert.Equal(expected.Order(), ingested.Order()); // each message once: no gap, no duplicate
        Assert.Equal(otherRows, all.Count - ingested.Count);
        Assert.Contains(committed, p => p.Value > 0);
    }

    [Fact]
    public async Task Skipped_input_moves_the_positions_in_a_commit_without_rows()
    {
        var table = await TestTables.CreateAsync(new InMemoryObjectStore(), TestTables.Orders());
        var ingester = new IngestCheckpoint(table, Source);
        await ingester.LoadAsync(default);
        var result = await ingester.CommitAsync([], new Dictionary<int, long> { [0] = 5 }, default);
        Assert.NotNull(result);
        var snapshot = await table.Snapshots.LatestAsync(default);
        Assert.Equal("5", snapshot!.LogOffsets["kafka/g/events/0"]);
        Assert.Equal(0, snapshot.TotalRecordCount);
        Assert.Null(await ingester.CommitAsync([], new Dictionary<int, long> { [0] = 5 }, default));
    }

    [Fact]
    public async Task A_position_that_is_not_a_number_is_reported_as_corrupt()
    {
        var table = await TestTables.CreateAsync(new InMemoryObjectStore(), TestTables.Orders());
        await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [1L, "a", null, null])], new WriteOptions { LogOffsets = new Dictionary<string, string> { [Source + "/0"] = "x" } });
        var e = await Assert.ThrowsAsync<CorruptFileException>(() => new IngestCheckpoint(table, Source).LoadAsync(default));
        Assert.Contains("log offset 'kafka/g/events/0' = 'x'", e.Message);
    }
}
