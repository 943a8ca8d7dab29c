using TableStore.Core.Commit;
using TableStore.Core.Data;
using TableStore.Core.Tests.Support;
using TableStore.Testing;

namespace TableStore.Core.Tests;

/// <summary>
/// A committer taken for dead that resumes must not commit a write that the committer which took over committed
/// meanwhile: its commit, based on an older snapshot, stops with the outcome unknown when a newer snapshot holds
/// one of its write ids, and commits nothing.
/// </summary>
public class WriteIdFencingTests
{
    [Fact]
    public async Task A_commit_whose_write_id_another_committer_committed_meanwhile_stops_and_commits_nothing()
    {
        var table = await TestTables.CreateAsync(new InMemoryObjectStore(), TestTables.Orders(buckets: 1));
        async Task<CommitRequest> Batch(long id, long identifier, params string[] writeIds)
        {
            var write = await table.NewWriteAsync();
            await write.WriteAsync(new ChangeRow(RowKind.Insert, [id, "c", 1.00m, null]));
            return new CommitRequest(await write.PrepareCommitAsync(), identifier)
            {
                BaseSnapshotId = 0,
                Properties = new Dictionary<string, string> { [WriteIds.SnapshotProperty] = WriteIds.Encode(writeIds) },
            };
        }
        var taker = await table.NewCommit("taker").CommitAsync(await Batch(1, 1, "w1"));
        Assert.Equal(1, taker.SnapshotId);

        // The resumed committer's batch holds w1 again, prepared on snapshot 0.
        var stale = await Batch(1, 7, "w0", "w1");
        var e = await Assert.ThrowsAsync<WriteOutcomeUnknownException>(() => table.NewCommit("resumed").CommitAsync(stale));
        Assert.Contains("Write w1", e.Message);
        Assert.Contains("snapshot 1", e.Message);
        Assert.Equal(1, await table.Snapshots.LatestIdAsync());

        // Another write, based on what the committer has seen, commits.
        var next = await Batch(2, 8, "w2");
        Assert.Equal(2, (await table.NewCommit("taker").CommitAsync(next with { BaseSnapshotId = 1 })).SnapshotId);
    }
}
