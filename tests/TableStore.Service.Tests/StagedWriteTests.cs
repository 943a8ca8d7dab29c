using Microsoft.Extensions.Options;
using TableStore.Abstractions;
using TableStore.Client;
using TableStore.Core;
using TableStore.Core.Data;
using TableStore.Core.Serialization;
using TableStore.Service.Tests.Support;

namespace TableStore.Service.Tests;

/// <summary>
/// Writes larger than one request: uploaded in parts (staged on the store by whichever silo takes each part) and
/// committed once, on three silos. Parts here are 1 KiB, so a few hundred rows make many parts.
/// </summary>
[Collection(ThreeSiloCollection.Name)]
public sealed class StagedWriteTests(ThreeSiloCluster fixture)
{
    private TableStoreClient SmallParts() =>
        new(fixture.Cluster.Client, Options.Create(new TableStoreClientOptions { MaxWriteBytes = 1024, UploadPartBytes = 1024 }));

    private static List<ChangeRow> Rows(int from, int count, string value = "v") =>
        [.. Enumerable.Range(from, count).Select(i => new ChangeRow(RowKind.Insert, [(long)i, $"{value}-{i}-{new string('x', 20)}"]))];

    private async Task<string> CreateAsync(string prefix, bool primaryKey = true)
    {
        var table = Specs.NewTable(prefix);
        await fixture.Client.CreateTableAsync(table, Specs.Table("id BIGINT, s STRING", primaryKey ? ["id"] : [], [], 3));
        return table;
    }

    private async Task<Dictionary<long, string>> ReadAsync(string table)
    {
        var scan = await fixture.Client.ScanAsync(table, new ScanOptions());
        var rows = new Dictionary<long, string>();
        await foreach (var r in scan.Rows) Assert.True(rows.TryAdd((long)r[0]!, (string)r[1]!), $"key {r[0]} read twice");
        return rows;
    }

    private string UploadDir(string table) => Path.Combine(fixture.Warehouse, table.Replace(".", ".db/", StringComparison.Ordinal), "upload");

    private static int Staged(string dir) => StagedFiles(dir).Count;

    private static List<string> StagedFiles(string dir) => Directory.Exists(dir)
        ? Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/')).ToList() : [];

    [Fact]
    public async Task A_write_larger_than_one_request_is_uploaded_in_parts_and_committed_once_and_a_rerun_commits_nothing_twice()
    {
        var table = await CreateAsync("staged");
        var client = SmallParts();
        var rows = Rows(0, 500);
        var result = await client.WriteAsync(table, rows, new WriteIdentity("bulk", 1));
        Assert.NotNull(result);
        Assert.False(result!.AlreadyCommitted);
        var snapshots = await fixture.Client.ListSnapshotsAsync(table);
        Assert.Single(snapshots, s => s.CommitKind == Core.Manifest.CommitKind.Append);
        Assert.Equal(500, (await ReadAsync(table)).Count);
        // Only the record of the commit stays, to answer a retry, until the upload is deleted as abandoned.
        Assert.Equal(["bulk-1/committed"], StagedFiles(UploadDir(table)));

        // The same write again (a client whose reply was lost): recognised, nothing written twice.
        var again = await client.WriteAsync(table, Rows(0, 500, "other"), new WriteIdentity("bulk", 1));
        Assert.True(again!.AlreadyCommitted);
        Assert.Equal(result.SnapshotId, again.SnapshotId);
        Assert.All((await ReadAsync(table)).Values, v => Assert.StartsWith("v-", v));
        Assert.Equal(["bulk-1/committed"], StagedFiles(UploadDir(table)));

        // A later write wins over the upload's rows for the same keys, and an upload's later rows over its earlier ones.
        await client.WriteAsync(table, [new ChangeRow(RowKind.Insert, [7L, "small"])]);
        await client.WriteAsync(table, AsBatches([.. Rows(1000, 300), new ChangeRow(RowKind.Insert, [1000L, "last"]), new ChangeRow(RowKind.Delete, [1001L, null])], 64));
        var now = await ReadAsync(table);
        Assert.Equal("small", now[7]);
        Assert.Equal("last", now[1000]);
        Assert.False(now.ContainsKey(1001));
        Assert.Equal(500 + 299, now.Count);
    }

    [Fact]
    public async Task A_streamed_write_with_a_bad_row_far_in_commits_nothing_names_the_row_and_leaves_nothing_staged()
    {
        var table = await CreateAsync("badstream");
        var rows = Rows(0, 400);
        rows.Add(new ChangeRow(RowKind.Insert, [null, "no key"]));
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => SmallParts().WriteAsync(table, AsBatches(rows, 50)));
        Assert.False(e.IsRetryable);
        Assert.Contains("Row", e.Message);
        Assert.Empty(await fixture.Client.ListSnapshotsAsync(table));
        // The staged parts are deleted in the background once the upload fails.
        for (int i = 0; i < 100 && Staged(UploadDir(table)) > 0; i++) await Task.Delay(100);
        Assert.Equal(0, Staged(UploadDir(table)));
    }

    [Fact]
    public async Task An_upload_whose_client_died_is_invisible_a_commit_of_missing_parts_is_refused_and_an_abort_deletes_it()
    {
        var table = await CreateAsync("abandoned", primaryKey: false);
        var upload = fixture.Cluster.Client.GetGrain<ITableUploadGrain>(table);
        var columns = new[] { "id", "s" };
        for (int part = 0; part < 2; part++)
        {
            var rows = Rows(part * 10, 10);
            Assert.Equal(10, await upload.StagePartAsync("died-1", part, RowBatchCodec.Encode(rows.Select(r => (byte)r.Kind).ToArray(), rows.Select(r => r.Values).ToList(), columns)));
        }
        Assert.True(Staged(UploadDir(table)) > 0);
        Assert.Empty(await ReadAsync(table));

        var e = await Assert.ThrowsAsync<WriteNotCommittedException>(() => upload.CommitAsync("died-1", 3));
        Assert.Contains("1 of its 3 parts are not staged (first: part 2)", e.Message);
        Assert.Empty(await ReadAsync(table));
        var never = await Assert.ThrowsAsync<WriteNotCommittedException>(() => upload.CommitAsync("never-sent", 1));
        Assert.Contains("none of its 1 parts is staged", never.Message);

        await upload.AbortAsync("died-1");
        Assert.Equal(0, Staged(UploadDir(table)));
        Assert.Empty(await fixture.Client.ListSnapshotsAsync(table));
    }

    [Fact]
    public async Task Bad_parts_are_refused_and_not_retryable()
    {
        var table = await CreateAsync("badparts");
        var upload = fixture.Cluster.Client.GetGrain<ITableUploadGrain>(table);
        Assert.False((await Assert.ThrowsAsync<InvalidInputException>(() => upload.StagePartAsync("p-1", 0, [1, 2, 3]))).IsRetryable);
        await Assert.ThrowsAsync<InvalidInputException>(() => upload.StagePartAsync("../escape", 0, []));
        await Assert.ThrowsAsync<InvalidInputException>(() => upload.StagePartAsync("p-1", -1, []));
        Assert.Equal(0, Staged(UploadDir(table)));
    }

    [Fact]
    public async Task An_overwrite_larger_than_one_request_is_uploaded_in_parts_and_replaces_the_table_once()
    {
        var table = await CreateAsync("bigoverwrite");
        await fixture.Client.WriteAsync(table, Rows(1000, 50));
        var client = SmallParts();
        var result = await client.OverwriteAsync(table, Rows(0, 500), identity: new WriteIdentity("reload", 1));
        Assert.False(result!.AlreadyCommitted);
        var rows = await ReadAsync(table);
        Assert.Equal(Enumerable.Range(0, 500).Select(i => (long)i), rows.Keys.Order());
        Assert.Equal(["reload-1/committed"], StagedFiles(UploadDir(table)));

        // The same overwrite again (its reply lost): recognised by its write id, nothing replaced twice.
        await fixture.Client.WriteAsync(table, [new ChangeRow(RowKind.Insert, [9999L, "after"])]);
        var again = await client.OverwriteAsync(table, AsBatches(Rows(0, 500, "other"), 64), identity: new WriteIdentity("reload", 1));
        Assert.True(again!.AlreadyCommitted);
        Assert.Equal(result.SnapshotId, again.SnapshotId);
        Assert.Equal(501, (await ReadAsync(table)).Count);
    }

    private static async IAsyncEnumerable<IReadOnlyList<ChangeRow>> AsBatches(List<ChangeRow> rows, int size)
    {
        for (int i = 0; i < rows.Count; i += size)
        {
            await Task.Yield();
            yield return rows.GetRange(i, Math.Min(size, rows.Count - i));
        }
    }
}
