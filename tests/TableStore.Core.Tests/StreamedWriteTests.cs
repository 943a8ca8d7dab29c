using System.Runtime.CompilerServices;
using TableStore.Core.Commit;
using TableStore.Core.Data;
using TableStore.Core.IO;
using TableStore.Core.Schema;
using TableStore.Core.Serialization;
using TableStore.Core.Scan;
using TableStore.Core.Table;
using TableStore.Core.Tests.Support;

namespace TableStore.Core.Tests;

/// <summary>
/// Writes of any size: rows taken batch by batch (a <see cref="RowSource"/>) into memtables that share one
/// <c>write-buffer-size</c> and spill sorted runs as they fill, committed once; and the staging of writes the service
/// receives in parts (<see cref="StagedWrites"/>).
/// </summary>
public sealed class StreamedWriteTests
{
    private static Task<FileStoreTable> TableAsync(IObjectStore store, string buffer = "256mb", int buckets = 3, bool writeOnly = false) =>
        TestTables.CreateAsync(store, new TableDefinition(SchemaParser.ParseColumns("id BIGINT, v STRING"), ["id"], [], buckets,
            new Dictionary<string, string> { [CoreOptions.WriteBufferSizeKey] = buffer, [CoreOptions.WriteOnlyKey] = writeOnly ? "true" : "false" }));

    private static async Task<Dictionary<long, string?>> ReadAsync(FileStoreTable table) =>
        (await (await table.ScanAsync(new ScanOptions())).ToListAsync()).ToDictionary(r => (long)r[0]!, r => (string?)r[1]);

    private static async IAsyncEnumerable<IReadOnlyList<ChangeRow>> Batches(IEnumerable<ChangeRow> rows, int size, [EnumeratorCancellation] CancellationToken ct = default)
    {
        foreach (var chunk in rows.Chunk(size))
        {
            await Task.Yield();
            ct.ThrowIfCancellationRequested();
            // Fresh value arrays per read: a write takes over the arrays it is given.
            yield return chunk.Select(r => r with { Values = (object?[])r.Values.Clone() }).ToList();
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task A_streamed_write_far_larger_than_the_write_buffer_spills_runs_and_reads_back_like_the_model(int seed)
    {
        var store = new InMemoryObjectStore();
        var table = await TableAsync(store, buffer: "16kb", writeOnly: true); // no compaction: the runs stay to be counted
        var random = new Random(seed);
        var model = new Dictionary<long, string?>();
        for (int write = 0; write < 3; write++)
        {
            var rows = new List<ChangeRow>();
            for (int i = 0; i < 3000; i++)
            {
                long key = random.Next(600);
                if (random.Next(5) == 0)
                {
                    rows.Add(new ChangeRow(RowKind.Delete, [key, null]));
                    model.Remove(key);
                }
                else
                {
                    var v = $"w{write}-{i}-{new string('x', random.Next(40))}";
                    rows.Add(new ChangeRow(RowKind.Insert, [key, v]));
                    model[key] = v;
                }
            }
            var result = await table.WriteAndCommitAsync(RowSource.Replayable(ct => Batches(rows, 1 + random.Next(700), ct), "generated rows"));
            Assert.NotNull(result);
            Assert.Equal(model, await ReadAsync(table));
        }
        // 16 KiB for all buckets together: each write spilled many runs instead of holding its rows.
        var files = await table.Manifests.ReadLiveFilesAsync((await table.Snapshots.LatestAsync())!.BaseManifestList);
        Assert.True(files.Count > 3 * 3, $"only {files.Count} files: the memtables did not spill");
    }

    [Fact]
    public async Task Bad_input_far_into_a_streamed_write_commits_nothing_names_the_row_and_deletes_the_runs_already_spilled()
    {
        var store = new InMemoryObjectStore();
        var table = await TableAsync(store, buffer: "4kb");
        var rows = Enumerable.Range(0, 5000).Select(i => new ChangeRow(RowKind.Insert, [(long)i, $"v{i}"])).ToList();
        rows.Add(new ChangeRow(RowKind.Insert, ["not a number", "bad"]));
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => table.WriteAndCommitAsync(RowSource.Replayable(ct => Batches(rows, 500, ct), "rows")));
        Assert.Contains("not a number", e.Message);
        Assert.Null(await table.Snapshots.LatestAsync());
        var left = new List<string>();
        await foreach (var o in store.ListAsync("")) if (o.Path.EndsWith(".parquet", StringComparison.Ordinal)) left.Add(o.Path);
        Assert.Empty(left);
    }

    /// <summary>Another writer commits to the same buckets while the streamed write reads its rows.</summary>
    private static async IAsyncEnumerable<IReadOnlyList<ChangeRow>> WithCommitMidway(FileStoreTable other, List<ChangeRow> rows, bool commit, [EnumeratorCancellation] CancellationToken ct = default)
    {
        int sent = 0;
        await foreach (var batch in Batches(rows, 100, ct))
        {
            if (commit && sent++ == 2) await other.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [5L, "other"]), new ChangeRow(RowKind.Insert, [100_000L, "other"])], null, ct);
            yield return batch;
        }
    }

    [Fact]
    public async Task A_write_that_must_start_again_reads_its_source_again_or_its_spooled_copy_and_wins()
    {
        var store = new InMemoryObjectStore();
        var table = await TableAsync(store);
        var other = await new Catalog(store).GetTableAsync(Identifier.Parse("db.t"));
        var rows = Enumerable.Range(0, 1000).Select(i => new ChangeRow(RowKind.Insert, [(long)i, "mine"])).ToList();

        int opened = 0;
        var result = await table.WriteAndCommitAsync(RowSource.Replayable(ct => WithCommitMidway(other, rows, commit: opened++ == 0, ct), "a file"));
        Assert.Equal(2, opened);
        Assert.Equal(2, result!.Attempts);
        var read = await ReadAsync(table);
        Assert.Equal("mine", read[5]); // committed later: wins
        Assert.Equal("other", read[100_000]);

        // A source that can be read once (stdin) is copied as it is read, and the rewrite reads the copy.
        var once = RowSource.Once(WithCommitMidway(other, [.. rows.Select(r => r with { Values = [r.Values[0], "once"] })], commit: true), "stdin");
        result = await table.WriteAndCommitAsync(once);
        Assert.Equal(2, result!.Attempts);
        read = await ReadAsync(table);
        Assert.Equal(1001, read.Count);
        Assert.Equal("once", read[5]);
        Assert.All(read.Where(kv => kv.Key < 1000), kv => Assert.Equal("once", kv.Value));

        // Read twice, it says so instead of reading nothing.
        var used = RowSource.Once(Batches(rows, 10), "a pipe");
        await foreach (var _ in used.Open()) { }
        var e = Assert.Throws<WriteNotCommittedException>(() => used.Open());
        Assert.Contains("The write of a pipe had to start again", e.Message);
    }

    private static byte[] Kinds(List<ChangeRow> rows) => rows.Select(r => (byte)r.Kind).ToArray();

    private static object?[][] Values(List<ChangeRow> rows) => rows.Select(r => r.Values).ToArray();

    [Fact]
    public async Task Staged_parts_are_found_only_when_all_are_there_read_back_per_bucket_in_part_order_and_deleted()
    {
        var store = new InMemoryObjectStore();
        var table = await TableAsync(store);
        var staging = new StagedWrites(table);
        Assert.Null(await staging.FindAsync("w1", 2));
        var first = Enumerable.Range(0, 50).Select(i => new ChangeRow(RowKind.Insert, [(long)i, "a"])).ToList();
        var second = Enumerable.Range(0, 50).Select(i => new ChangeRow(RowKind.Insert, [(long)i, "b"])).ToList();
        Assert.Equal(50, await staging.StageAsync("w1", 1, Kinds(second), Values(second)));
        var e = await Assert.ThrowsAsync<WriteNotCommittedException>(() => staging.FindAsync("w1", 2));
        Assert.Contains("1 of its 2 parts are not staged (first: part 0)", e.Message);
        await staging.StageAsync("w1", 0, Kinds(first), Values(first));
        await staging.StageAsync("w1", 0, Kinds(first), Values(first)); // a retried part replaces itself

        var staged = (await staging.FindAsync("w1", 2))!;
        Assert.Equal(100, staged.Rows);
        Assert.Equal(table.Schema.Id, staged.SchemaId);
        Assert.Equal(3, staged.Buckets.Count);
        var seen = new Dictionary<long, string>();
        foreach (var bucket in staged.Buckets)
            await foreach (var (_, values) in staging.ReadAsync(bucket.Paths))
                seen[(long)values[0]!] = (string)values[1]!; // part 1 after part 0: "b" last
        Assert.Equal(50, seen.Count);
        Assert.All(seen.Values, v => Assert.Equal("b", v));

        // Bad rows are refused before anything of the part is stored.
        var bad = new List<ChangeRow> { new(RowKind.Insert, [null, "x"]) };
        await Assert.ThrowsAsync<InvalidInputException>(() => staging.StageAsync("w2", 0, Kinds(bad), Values(bad)));
        await Assert.ThrowsAsync<InvalidInputException>(() => staging.StageAsync("../w3", 0, Kinds(first), Values(first)));
        Assert.Null(await staging.FindAsync("w2", 1));

        // The commit markers: the first attempt starts, a second one learns since when to look for a commit; the
        // record of the commit outlives the parts, until the upload is deleted as abandoned.
        Assert.Null(await staging.StartCommitAsync("w1"));
        var notBefore = await staging.StartCommitAsync("w1");
        Assert.NotNull(notBefore);
        Assert.True(notBefore <= CommittedWrites.NotBefore(table.Time.GetUtcNow()) && notBefore >= CommittedWrites.NotBefore(table.Time.GetUtcNow().AddMinutes(-1)));
        Assert.Null(await staging.FindCommittedAsync("w1"));
        await staging.MarkCommittedAsync("w1", 7);
        await staging.DeleteAsync("w1", keepCommitted: true);
        Assert.Null(await staging.FindAsync("w1", 2));
        Assert.Equal(7, await staging.FindCommittedAsync("w1"));

        Assert.Equal(0, await staging.DeleteAbandonedAsync(TimeSpan.FromHours(1)));
        await staging.StageAsync("w4", 0, Kinds(first), Values(first));
        Assert.Equal(2, await staging.DeleteAbandonedAsync(TimeSpan.Zero));
        Assert.Null(await staging.FindCommittedAsync("w1"));
        var left = 0;
        await foreach (var _ in store.ListAsync(table.Paths.UploadDir)) left++;
        Assert.Equal(0, left);
    }
}
