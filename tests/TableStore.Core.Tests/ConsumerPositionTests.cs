using TableStore.Core.Consumers;
using TableStore.Core.IO;
using TableStore.Core.Table;
using TableStore.Core.Tests.Support;

namespace TableStore.Core.Tests;

/// <summary>
/// A consumer's position only moves forward: readers sharing a consumer id that record out of order, or at the same
/// time, never move it back; the single-file form of earlier versions is still read; a drop forgets every position.
/// </summary>
public sealed class ConsumerPositionTests
{
    private static async Task<FileStoreTable> TableAsync(IObjectStore store) =>
        await TestTables.CreateAsync(store, TestTables.Orders(1));

    [Fact]
    public async Task A_lower_position_is_ignored_and_the_current_one_returned_and_older_ones_go_once_a_newer_one_settled()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var store = new InMemoryObjectStore(clock);
        var table = await new Catalog(store, clock).CreateTableAsync(Identifier.Parse("db.t"), TestTables.Orders(1));
        Assert.Equal(9, await table.Consumers.SetAsync("reader", 9));
        Assert.Equal(9, await table.Consumers.SetAsync("reader", 7)); // a slower reader with the same id
        Assert.Equal(12, await table.Consumers.SetAsync("reader", 12));
        Assert.Equal(12, (await table.Consumers.TryGetAsync("reader"))!.NextSnapshot);
        async Task<List<string>> Files() => [.. (await table.Store.ListAllAsync(table.Paths.ConsumerDir)).Select(f => f.Path)];
        // 9 is kept until 12 has existed for the settle time: a reader listing meanwhile always finds one of them.
        Assert.Equal([table.Paths.ConsumerPosition("reader", 12), table.Paths.ConsumerPosition("reader", 9)], (await Files()).OrderByDescending(p => p.Length).ThenByDescending(p => p, StringComparer.Ordinal));
        clock.Advance(ConsumerManager.SettleTime + TimeSpan.FromSeconds(1));
        Assert.Equal(13, await table.Consumers.SetAsync("reader", 13));
        Assert.Equal([table.Paths.ConsumerPosition("reader", 12), table.Paths.ConsumerPosition("reader", 13)], (await Files()).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Readers_racing_on_one_consumer_id_never_move_it_back(int seed)
    {
        // The local file system store: put-if-absent is a real link(2), and the readers run on threads at once.
        using var dir = new TempDir();
        var store = new LocalFileSystemObjectStore(dir.Path);
        var table = await TableAsync(store);
        var random = new Random(seed);
        var positions = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(1, 60).Select(_ => (long)random.Next(1, 200)).ToList()).ToList();
        var observed = new List<long>();
        await Task.WhenAll(positions.Select(list => Task.Run(async () =>
        {
            foreach (var next in list)
            {
                await table.Consumers.SetAsync("shared", next);
                var now = (await table.Consumers.TryGetAsync("shared"))!.NextSnapshot;
                Assert.True(now >= next, $"recorded {next}, then read {now}");
                lock (observed) observed.Add(now);
            }
        })));
        var final = (await table.Consumers.TryGetAsync("shared"))!.NextSnapshot;
        Assert.Equal(positions.SelectMany(p => p).Max(), final); // the largest anyone recorded wins
        Assert.Single(await table.Consumers.ListAsync());
    }

    [Fact]
    public async Task The_single_file_form_of_earlier_versions_is_read_and_replaced_by_a_later_position()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var store = new InMemoryObjectStore(clock);
        var table = await new Catalog(store, clock).CreateTableAsync(Identifier.Parse("db.t"), TestTables.Orders(1));
        await store.PutAsync(table.Paths.ConsumerFile("old"), """{"nextSnapshot":5}"""u8.ToArray());
        Assert.Equal(5, (await table.Consumers.TryGetAsync("old"))!.NextSnapshot);
        Assert.Equal(5, (await table.Consumers.MinNextSnapshotAsync()));
        Assert.Equal(5, await table.Consumers.SetAsync("old", 3)); // never back, in either form
        Assert.Equal(6, await table.Consumers.SetAsync("old", 6));
        clock.Advance(ConsumerManager.SettleTime + TimeSpan.FromSeconds(1));
        Assert.Equal(7, await table.Consumers.SetAsync("old", 7)); // 6 has settled: the old single file goes
        Assert.False(await store.ExistsAsync(table.Paths.ConsumerFile("old")));
        Assert.Equal(["old"], (await table.Consumers.ListAsync()).Select(c => c.Id));
    }

    [Fact]
    public async Task Dropping_a_consumer_removes_every_recorded_position()
    {
        var store = new InMemoryObjectStore();
        var table = await TableAsync(store);
        await store.PutAsync(table.Paths.ConsumerFile("gone"), """{"nextSnapshot":2}"""u8.ToArray());
        await store.PutIfAbsentAsync(table.Paths.ConsumerPosition("gone", 4), """{"nextSnapshot":4}"""u8.ToArray());
        await table.Consumers.SetAsync("kept", 3);
        await table.Consumers.DeleteAsync("gone");
        Assert.Null(await table.Consumers.TryGetAsync("gone"));
        Assert.Equal(["kept"], (await table.Consumers.ListAsync()).Select(c => c.Id));
        await Assert.ThrowsAsync<InvalidInputException>(() => table.Consumers.DeleteAsync("gone"));
    }
}
