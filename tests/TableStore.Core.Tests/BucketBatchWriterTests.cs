using Microsoft.Extensions.Logging.Abstractions;
using TableStore.Core.Commit;
using TableStore.Core.Data;
using TableStore.Core.Lookup;
using TableStore.Core.Schema;
using TableStore.Core.Table;
using TableStore.Core.Tests.Support;

namespace TableStore.Core.Tests;

/// <summary>
/// The bucket writer the service keeps per bucket, without a cluster: back-pressure at the stop trigger, and
/// sequence numbers that stay above everything committed to the bucket.
/// </summary>
public sealed class BucketBatchWriterTests
{
    private static readonly LookupFileCache Cache = new(1 << 20);

    private static async Task<FileStoreTable> TableAsync(Dictionary<string, string> options) =>
        await TestTables.CreateAsync(new InMemoryObjectStore(), new TableDefinition(
            SchemaParser.ParseColumns("id BIGINT, v INT"), ["id"], [], 1, options));

    private static IAsyncEnumerable<(RowKind, object?[])> Rows(int from, int count) =>
        Enumerable.Range(from, count).Select(i => (RowKind.Insert, new object?[] { (long)i, i })).ToAsyncEnumerable();

    private static async Task<long> CommitAsync(FileStoreTable table, CommitMessage message, long id) =>
        (await table.NewCommit("test").CommitAsync(new CommitRequest([message], id))).SnapshotId;

    [Fact]
    public async Task A_batch_at_the_stop_trigger_waits_for_the_buckets_compaction_and_goes_on_when_it_ends()
    {
        // Trigger 2, stop trigger 3: the fourth batch finds three runs and must wait.
        var table = await TableAsync(new() { [CoreOptions.CompactionTriggerKey] = "2", [CoreOptions.StopTriggerKey] = "3" });
        var writer = new BucketBatchWriter([], 0, NullLogger.Instance);
        int compactionsAsked = 0;
        Task NoCompaction() { compactionsAsked++; return Task.CompletedTask; }
        for (int b = 0; b < 3; b++)
            await CommitAsync(table, await writer.WriteBatchAsync(table, Rows(b * 10, 5), false, NoCompaction, TimeSpan.FromMinutes(5), Cache), b + 1);
        Assert.Equal(0, compactionsAsked); // below the stop trigger nothing waits

        var compaction = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task Blocked() { asked.TrySetResult(); return compaction.Task; }
        var fourth = writer.WriteBatchAsync(table, Rows(100, 5), false, Blocked, TimeSpan.FromMinutes(5), Cache);
        await asked.Task.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.False(fourth.IsCompleted, "the batch went on before the compaction ended");
        compaction.SetResult();
        var message = await fourth.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Single(message.NewFiles);
    }

    [Fact]
    public async Task Write_only_tables_never_wait()
    {
        var table = await TableAsync(new() { [CoreOptions.CompactionTriggerKey] = "2", [CoreOptions.StopTriggerKey] = "2", [CoreOptions.WriteOnlyKey] = "true" });
        var writer = new BucketBatchWriter([], 0, NullLogger.Instance);
        Task Never() => throw new InvalidOperationException("a write-only table must not wait for compaction");
        for (int b = 0; b < 5; b++)
            await CommitAsync(table, await writer.WriteBatchAsync(table, Rows(b * 10, 3), false, Never, TimeSpan.FromMinutes(5), Cache), b + 1);
    }

    [Fact]
    public async Task Sequence_numbers_grow_batch_after_batch_and_restart_above_a_commit_made_by_another_writer()
    {
        var table = await TableAsync(new() { [CoreOptions.WriteOnlyKey] = "true" });
        var writer = new BucketBatchWriter([], 0, NullLogger.Instance);
        var first = await writer.WriteBatchAsync(table, Rows(0, 4), false, () => Task.CompletedTask, TimeSpan.Zero, Cache);
        await CommitAsync(table, first, 1);
        var second = await writer.WriteBatchAsync(table, Rows(10, 4), false, () => Task.CompletedTask, TimeSpan.Zero, Cache);
        Assert.True(second.NewFiles.Min(f => f.MinSequence) > first.NewFiles.Max(f => f.MaxSequence));
        await CommitAsync(table, second, 2);

        // Another writer (the embedded path) commits 50 rows to the same bucket.
        await table.WriteAndCommitAsync(Enumerable.Range(1000, 50).Select(i => new ChangeRow(RowKind.Insert, [(long)i, i])).ToList());
        var other = (await table.Manifests.ReadLiveFilesAsync((await table.Snapshots.LatestAsync())!.BaseManifestList)).Max(e => e.File.MaxSequence);
        var third = await writer.WriteBatchAsync(table, Rows(0, 1), reloadSequence: true, () => Task.CompletedTask, TimeSpan.Zero, Cache);
        Assert.True(third.NewFiles.Single().MinSequence > other, "a batch written after another writer's commit must win the merge");
        await CommitAsync(table, third, 3);
    }
}
