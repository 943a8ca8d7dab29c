using TableStore.Core.Data;
using TableStore.Core.Lookup;
using TableStore.Core.Manifest;
using TableStore.Core.Scan;
using TableStore.Core.Schema;
using TableStore.Core.Table;

namespace TableStore.Core.Tests;

public class OverwriteRescaleTests
{
    private static readonly IReadOnlyList<DataField> Columns = SchemaParser.ParseColumns("id BIGINT, region STRING NOT NULL, v INT");

    private static async Task<(Catalog, FileStoreTable)> PartitionedAsync(int buckets = 2, Dictionary<string, string>? options = null)
    {
        var catalog = new Catalog(new InMemoryObjectStore());
        var table = await catalog.CreateTableAsync(Identifier.Parse("db.t"), new TableDefinition(Columns, ["id", "region"], ["region"], buckets, options));
        return (catalog, table);
    }

    private static ChangeRow Row(long id, string region, int v) => new(RowKind.Insert, [id, region, v]);

    private static async Task<List<string>> ReadAsync(FileStoreTable t, long? snapshot = null) =>
        (await (await t.ScanAsync(new ScanOptions { SnapshotId = snapshot })).ToListAsync())
            .Select(r => $"{r[0]}/{r[1]}/{r[2]}").Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task Overwrite_replaces_a_partition_or_the_whole_table_atomically()
    {
        var (_, table) = await PartitionedAsync();
        var first = await table.WriteAndCommitAsync([Row(1, "eu", 1), Row(2, "eu", 2), Row(3, "us", 3)]);
        var eu = PartitionSpec.Parse("region=eu", table.Schema);
        await table.WriteAndCommitAsync([Row(9, "eu", 9)], new WriteOptions { Kind = CommitKind.Overwrite, OverwritePartitions = eu });
        Assert.Equal(["3/us/3", "9/eu/9"], await ReadAsync(table));
        Assert.Equal(["1/eu/1", "2/eu/2", "3/us/3"], await ReadAsync(table, first!.SnapshotId)); // time travel unaffected

        var stray = await Assert.ThrowsAsync<InvalidInputException>(() => table.WriteAndCommitAsync([Row(5, "eu", 5), Row(6, "us", 6)],
            new WriteOptions { Kind = CommitKind.Overwrite, OverwritePartitions = eu }));
        Assert.Equal("Row 2 belongs to partition region=us, outside the overwritten partition region=eu.", stray.Message);

        // An empty overwrite of a partition empties it; of the whole table, everything.
        await table.WriteAndCommitAsync([], new WriteOptions { Kind = CommitKind.Overwrite, OverwritePartitions = eu });
        Assert.Equal(["3/us/3"], await ReadAsync(table));
        await table.WriteAndCommitAsync([Row(7, "ap", 7)], new WriteOptions { Kind = CommitKind.Overwrite });
        Assert.Equal(["7/ap/7"], await ReadAsync(table));
        Assert.Equal(CommitKind.Overwrite, (await table.Snapshots.LatestAsync())!.CommitKind);
    }

    [Fact]
    public async Task Rescale_rewrites_for_the_new_bucket_count_and_later_upserts_do_not_duplicate()
    {
        var (catalog, table) = await PartitionedAsync(2);
        var model = new Dictionary<(long, string), int>();
        var random = new Random(3);
        for (int c = 0; c < 4; c++)
        {
            var rows = Enumerable.Range(0, 30).Select(_ => Row(random.Next(40), random.Next(2) == 0 ? "eu" : "us", random.Next(100))).ToList();
            foreach (var r in rows) model[((long)r.Values[0]!, (string)r.Values[1]!)] = (int)r.Values[2]!;
            await table.WriteAndCommitAsync(rows);
        }
        List<string> Expected() => model.Select(kv => $"{kv.Key.Item1}/{kv.Key.Item2}/{kv.Value}").Order(StringComparer.Ordinal).ToList();

        // Rescale one partition: the other keeps its files and stays readable, lookups included; writes to it wait for its rescale.
        var outcome = await TableRescale.RunAsync(catalog, table.Identifier, 5, new Dictionary<string, string> { ["region"] = "eu" });
        Assert.Equal((2, 5, 1), (outcome.OldBuckets, outcome.NewBuckets, outcome.Partitions));
        table = await catalog.GetTableAsync(table.Identifier);
        Assert.Equal(5, table.Schema.BucketCount);
        Assert.Equal(Expected(), await ReadAsync(table));
        var live = await table.Manifests.ReadLiveFilesAsync((await table.Snapshots.LatestAsync())!.BaseManifestList);
        Assert.All(live, e => Assert.Equal((string)e.Partition[0]! == "eu" ? 5 : 2, e.TotalBuckets));
        var lookup = new TableLookup(table, new LookupFileCache(1 << 20));
        foreach (var ((id, region), v) in model)
            Assert.Equal(v, (await lookup.LookupAsync([id, region])).Row?[2]);
        var refused = await Assert.ThrowsAsync<CommitConflictException>(() => table.WriteAndCommitAsync([Row(1, "us", 1)]));
        Assert.Contains("the table is being rescaled", refused.Message);
        await table.WriteAndCommitAsync([Row(1, "eu", 111)]); // the rescaled partition takes writes
        model[(1, "eu")] = 111;

        await TableRescale.RunAsync(catalog, table.Identifier, 5, null);
        for (int c = 0; c < 3; c++)
        {
            var rows = Enumerable.Range(0, 30).Select(_ => Row(random.Next(40), random.Next(2) == 0 ? "eu" : "us", random.Next(100))).ToList();
            foreach (var r in rows) model[((long)r.Values[0]!, (string)r.Values[1]!)] = (int)r.Values[2]!;
            await table.WriteAndCommitAsync(rows);
        }
        Assert.Equal(Expected(), await ReadAsync(table));
        Assert.Null((await TableRescale.RunAsync(catalog, table.Identifier, 5, null)).SnapshotId); // nothing left to do
        await Assert.ThrowsAsync<InvalidInputException>(() => TableRescale.RunAsync(catalog, table.Identifier, 0, null));
    }

    [Fact]
    public async Task Rescale_keeps_merged_aggregates_as_they_are()
    {
        var catalog = new Catalog(new InMemoryObjectStore());
        var table = await catalog.CreateTableAsync(Identifier.Parse("db.agg"), new TableDefinition(SchemaParser.ParseColumns("k BIGINT, n BIGINT, total INT"), ["k"], null, 1,
            new Dictionary<string, string> { ["merge-engine"] = "aggregation", ["fields.n.aggregate-function"] = "count", ["fields.total.aggregate-function"] = "sum" }));
        for (int i = 0; i < 3; i++) await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [1L, 0L, 10])]);
        await TableRescale.RunAsync(catalog, table.Identifier, 3, null);
        var rows = await (await (await catalog.GetTableAsync(table.Identifier)).ScanAsync(new ScanOptions())).ToListAsync();
        Assert.Equal([1L, 3L, 30], Assert.Single(rows));
    }

    [Fact]
    public async Task A_commit_that_requires_an_unchanged_table_fails_when_a_write_landed_but_not_a_compaction()
    {
        var (_, table) = await PartitionedAsync();
        var first = await table.WriteAndCommitAsync([Row(1, "eu", 1)]);
        await table.WriteAndCommitAsync([Row(2, "eu", 2)]);
        var e = await Assert.ThrowsAsync<CommitConflictException>(() => table.WriteAndCommitAsync([Row(3, "eu", 3)],
            new WriteOptions { Kind = CommitKind.Overwrite, RequireUnchangedSince = first!.SnapshotId }));
        Assert.Contains("was prepared on snapshot 1, but snapshot 2 changed the table meanwhile", e.Message);
        Assert.Equal(["1/eu/1", "2/eu/2"], await ReadAsync(table));

        var latest = (await table.Snapshots.LatestIdAsync())!.Value;
        Assert.NotNull((await table.CompactAsync(new CompactOptions { Full = true })).SnapshotId);
        await table.WriteAndCommitAsync([Row(3, "eu", 3)], new WriteOptions { Kind = CommitKind.Overwrite, RequireUnchangedSince = latest });
        Assert.Equal(["3/eu/3"], await ReadAsync(table));
    }
}
