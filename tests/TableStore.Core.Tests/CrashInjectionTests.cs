using TableStore.Core.Data;
using TableStore.Core.IO;
using TableStore.Core.Scan;
using TableStore.Core.Table;
using TableStore.Core.Tests.Support;

namespace TableStore.Core.Tests;

/// <summary>
/// Fails the Nth object-store call of a write-and-commit, for every N, with each kind of fault. Afterwards a
/// fresh reader sees the table exactly as before or exactly as after the commit, and a retry with the same
/// commit identity (as a restarted process would do) lands it exactly once.
/// Written once; each store (memory, local files, Azurite, radosgw) supplies fresh stores.
/// </summary>
public abstract class CrashInjectionTests
{
    private static readonly Identifier Id = Identifier.Parse("db.crash");

    /// <summary>An empty store for run <paramref name="run"/> (each run seeds its own table).</summary>
    protected abstract IObjectStore NewStore(int run);

    [Theory]
    [InlineData(FaultKind.FailBefore)]
    [InlineData(FaultKind.FailAfter)]
    [InlineData(FaultKind.Crash)]
    public async Task Every_failing_call_leaves_before_or_after_and_a_retry_commits_once(FaultKind kind)
    {
        var batch = new List<ChangeRow>
        {
            new(RowKind.UpdateAfter, [1L, "ann", 99m, "changed"]),
            new(RowKind.Delete, [2L, null, null, null]),
            new(RowKind.Insert, [10L, "new", 1m, null]),
            new(RowKind.Insert, [11L, "new", 2m, null]),
        };
        int hits = 0;
        for (int n = 1; ; n++)
        {
            var (inner, before) = await SeedAsync(NewStore(n));
            var after = new KeyedModel();
            foreach (var r in before.Values) after.Apply(new ChangeRow(RowKind.Insert, r));
            foreach (var r in batch) after.Apply(r);

            var faulty = new FaultInjectingObjectStore(inner);
            var table = await new Catalog(faulty).GetTableAsync(Id);
            long known = (await table.Snapshots.LatestIdAsync())!.Value;
            var options = new WriteOptions { CommitUser = "job-1", CommitIdentifier = 7, KnownSnapshotId = known };
            faulty.Arm(n, kind);
            bool failed = false;
            try { await table.WriteAndCommitAsync(batch, options); }
            catch (IOException) { failed = true; }
            bool reached = faulty.Calls >= n;
            faulty.Disarm();
            if (!reached)
            {
                Assert.False(failed);
                break; // the commit needs fewer than n calls: every step has been failed once
            }
            hits++;

            var reader = await new Catalog(inner).GetTableAsync(Id);
            var snapshots = await reader.Snapshots.ListIdsAsync();
            var rows = await (await reader.ScanAsync(new ScanOptions())).ToListAsync();
            if (snapshots.Count == known)
                KeyedModel.AssertSame(before, rows, $"{kind} at call {n}: table changed without a snapshot");
            else
            {
                Assert.Equal(known + 1, snapshots.Count);
                KeyedModel.AssertSame(after.Rows, rows, $"{kind} at call {n}: snapshot {known + 1} is not the whole commit");
            }

            // The retry of a restarted writer: same identity, same known snapshot.
            var retryTable = await new Catalog(inner).GetTableAsync(Id);
            var retry = await retryTable.WriteAndCommitAsync(batch, options);
            Assert.NotNull(retry);
            Assert.Equal(known + 1, retry!.SnapshotId);
            Assert.Equal(known + 1, (await retryTable.Snapshots.ListIdsAsync()).Count);
            KeyedModel.AssertSame(after.Rows, await (await retryTable.ScanAsync(new ScanOptions())).ToListAsync(), $"{kind} at call {n}: after retry");
        }
        Assert.True(hits > 10, $"only {hits} fault points were exercised");
    }

    private static async Task<(IObjectStore Store, Dictionary<long, object?[]> State)> SeedAsync(IObjectStore store)
    {
        var table = await new Catalog(store).CreateTableAsync(Id, TestTables.Orders(buckets: 2));
        var model = new KeyedModel();
        for (int c = 0; c < 3; c++)
        {
            var rows = Enumerable.Range(c * 3, 4).Select(i => new ChangeRow(RowKind.Insert, [(long)i, $"c{i}", (decimal)i, null])).ToList();
            foreach (var r in rows) model.Apply(r);
            await table.WriteAndCommitAsync(rows);
        }
        return (store, model.Copy());
    }
}

public sealed class CrashInjectionInMemoryTests : CrashInjectionTests
{
    protected override IObjectStore NewStore(int run) => new InMemoryObjectStore();
}

public sealed class CrashInjectionOnLocalFilesTests : CrashInjectionTests, IDisposable
{
    private readonly TempDir _dir = new();

    protected override IObjectStore NewStore(int run) => new LocalFileSystemObjectStore(Path.Combine(_dir.Path, $"run-{run}"));

    public void Dispose() => _dir.Dispose();
}
