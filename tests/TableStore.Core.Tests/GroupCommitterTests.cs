using Microsoft.Extensions.Logging.Abstractions;
using TableStore.Core.Commit;
using TableStore.Core.Commit.GroupCommit;
using TableStore.Core.Data;
using TableStore.Core.Lookup;
using TableStore.Core.Schema;
using TableStore.Core.Table;
using TableStore.Core.Tests.Support;

namespace TableStore.Core.Tests;

/// <summary>
/// Core's group commit without a cluster: batching by interval, size and flush; writes a bucket writer lost; a failed
/// flush; rewrites after another writer's commit; write-id deduplication across restarts; and a model of random
/// writes, losses and outside commits.
/// </summary>
public sealed class GroupCommitterTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Writes_joining_within_the_interval_share_one_snapshot_committed_when_the_host_wakes_it()
    {
        var h = await Harness.CreateAsync();
        var writes = new[] { h.Write("a", 1, 2), h.Write("b", 3), h.Write("c", 4, 5, 6) };
        Assert.All(writes, w => Assert.False(w.IsCompleted));
        var wake = Assert.Single(h.WakeUps);
        Assert.Equal(Interval, wake.Delay);

        h.Clock.Advance(Interval);
        wake.Callback();
        var results = await Task.WhenAll(writes);
        Assert.Single(results.Select(r => r.SnapshotId).Distinct());
        Assert.Equal([2, 1, 3], results.Select(r => r.Rows));
        Assert.Equal(h.Model(), await h.TableRowsAsync());
        Assert.Equal(1, await h.SnapshotCountAsync());
    }

    [Fact]
    public async Task A_batch_commits_at_once_when_its_bytes_reach_the_limit()
    {
        var h = await Harness.CreateAsync(maxBytes: 100);
        var first = h.Write("a", 1);       // 60 bytes: waits
        Assert.False(first.IsCompleted);
        var second = h.Write("b", 2);      // 120 bytes: due
        var results = await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(results[0].SnapshotId, results[1].SnapshotId);
    }

    [Fact]
    public async Task A_write_sent_again_gets_the_first_answer_and_a_retry_after_a_restart_is_recognised_without_writing_again()
    {
        var h = await Harness.CreateAsync();
        var first = h.Write("w1", 1, 2);
        var again = h.Committer.CompleteAsync(new GroupCommitWrite("w1", ["b0", "b1"], 2, 120));
        await h.Committer.FlushAsync();
        var (r1, r2) = (await first, await again);
        Assert.Equal(r1, r2);
        Assert.False(r1.AlreadyCommitted);

        var restarted = await h.NewCommitterAsync(); // e.g. the commit grain reactivated on another silo
        var retry = await restarted.CompleteAsync(new GroupCommitWrite("w1", ["b0"], 2, 120));
        Assert.True(retry.AlreadyCommitted);
        Assert.Equal(r1.SnapshotId, retry.SnapshotId);
        Assert.Equal(1, await h.SnapshotCountAsync());
    }

    [Fact]
    public async Task Writes_a_bucket_writer_lost_or_refused_fail_as_not_committed_and_the_rest_of_the_batch_commits()
    {
        var h = await Harness.CreateAsync();
        var lost = h.Write("lost", 1, 2, 3, 4);
        var stale = h.Write("stale", 5, 6, 7, 8);
        var kept = h.Write("kept", 9, 10, 11, 12);
        h.Writers.LoseRows("lost");
        h.Writers.RefuseRows("stale");
        await h.Committer.FlushAsync();

        var e1 = await Assert.ThrowsAsync<WriteNotCommittedException>(() => lost);
        Assert.Contains("were lost before the commit", e1.Message);
        Assert.True(e1.IsRetryable);
        var e2 = await Assert.ThrowsAsync<WriteNotCommittedException>(() => stale);
        Assert.Contains("older schema", e2.Message);
        Assert.False((await kept).AlreadyCommitted);
        Assert.Equal(h.Model(except: ["lost", "stale"]), await h.TableRowsAsync());
    }

    [Fact]
    public async Task A_failed_flush_fails_every_write_of_the_batch_and_deletes_the_files_other_buckets_wrote()
    {
        var h = await Harness.CreateAsync();
        var w = h.Write("w", Enumerable.Range(1, 20).ToArray());
        h.Writers.FailFlushOf = "b1";
        await h.Committer.FlushAsync();

        var e = await Assert.ThrowsAsync<WriteNotCommittedException>(() => w);
        Assert.Contains("bucket writer b1 could not write its files", e.Message);
        Assert.True(e.IsRetryable); // an I/O failure passes
        Assert.Null(await h.Table.Snapshots.LatestIdAsync());
        Assert.Empty(await h.DataFilesAsync()); // b0's files were aborted, not left as orphans

        h.Writers.FailFlushOf = null; // the same write sent again commits
        var retry = h.Write("w", Enumerable.Range(1, 20).ToArray());
        await h.Committer.FlushAsync();
        Assert.False((await retry).AlreadyCommitted);
        Assert.Equal(h.Model(), await h.TableRowsAsync());
    }

    [Fact]
    public async Task A_commit_made_by_another_writer_to_the_same_buckets_makes_the_batch_rewrite_above_it_and_win()
    {
        var h = await Harness.CreateAsync();
        var w = h.Write("ours", 1, 2, 3);
        h.Writers.BeforeFirstFlushReturns = () => h.Table.WriteAndCommitAsync(
            [new ChangeRow(RowKind.Insert, [1L, "theirs"]), new ChangeRow(RowKind.Insert, [2L, "theirs"])]);
        await h.Committer.FlushAsync();

        var result = await w;
        Assert.Equal(2, result.SnapshotId); // theirs is 1
        Assert.Contains(true, h.Writers.RewriteFlags);
        Assert.Equal(h.Model(), await h.TableRowsAsync()); // ours is newer: it wins on keys 1 and 2
        Assert.Equal(2, await h.SnapshotCountAsync());
    }

    [Fact]
    public async Task A_retry_older_than_the_remembered_commits_is_found_in_the_snapshots_committed_since_it_was_first_sent()
    {
        // Two snapshots remembered, as a busy table forgets in seconds what a client retries minutes later.
        var h = await Harness.CreateAsync(remembered: 2);
        var firstSent = CommittedWrites.NotBefore(h.Table.Time.GetUtcNow());
        var first = h.Write("a", 1, 2);
        await h.Committer.FlushAsync();
        long committedIn = (await first).SnapshotId;
        for (int i = 0; i < 3; i++)
        {
            var other = h.Write("other" + i, 10 + i);
            await h.Committer.FlushAsync();
            await other;
        }
        Assert.Null(await h.Committer.FindCommittedAsync("a", null)); // forgotten: only the retry's age finds it

        var retry = await h.Write("a", firstSent, 1, 2);
        Assert.True(retry.AlreadyCommitted);
        Assert.Equal(committedIn, retry.SnapshotId);
        Assert.Equal(committedIn, await h.Committer.FindCommittedAsync("a", firstSent));
        Assert.Equal(4, await h.SnapshotCountAsync());

        // A retry whose first attempt never committed is committed now, once.
        var pending = h.Write("b", firstSent, 3);
        // Enqueued once the snapshots are searched (asynchronously): flush until it commits.
        for (int i = 0; i < 1000 && !pending.IsCompleted; i++)
        {
            await h.Committer.FlushAsync();
            await Task.Yield();
        }
        var neverCommitted = await pending;
        Assert.False(neverCommitted.AlreadyCommitted);
        Assert.Equal(5, await h.SnapshotCountAsync());
        Assert.Equal(h.Model(), await h.TableRowsAsync());
    }

    [Fact]
    public async Task After_close_waiting_and_later_writes_fail_not_retryable()
    {
        var h = await Harness.CreateAsync();
        var waiting = h.Write("w", 1);
        await h.Committer.CloseAsync("the table was dropped");
        var e = await Assert.ThrowsAsync<WriteNotCommittedException>(() => waiting);
        Assert.False(e.IsRetryable);
        var later = await Assert.ThrowsAsync<WriteNotCommittedException>(() => h.Write("x", 2));
        Assert.Contains("the table was dropped", later.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Random_writes_losses_failed_flushes_and_outside_commits_leave_exactly_the_acknowledged_writes(int seed)
    {
        var random = new Random(seed);
        var h = await Harness.CreateAsync();
        var acknowledged = new List<(string Id, long Snapshot, int[] Keys)>();
        var outside = new List<(long Snapshot, int[] Keys)>();
        int next = 0;
        for (int round = 0; round < 12; round++)
        {
            var pending = new List<(string Id, int[] Keys, Task<GroupCommitResult> Result)>();
            for (int i = random.Next(1, 5); i > 0; i--)
            {
                var keys = Enumerable.Range(0, random.Next(1, 6)).Select(_ => random.Next(30)).Distinct().ToArray();
                var id = $"w{next++}";
                pending.Add((id, keys, h.Write(id, keys)));
                if (random.Next(6) == 0) h.Writers.LoseRows(id);
            }
            h.Writers.FailFlushOf = random.Next(8) == 0 ? "b" + random.Next(2) : null;
            if (random.Next(4) == 0)
            {
                var keys = Enumerable.Range(0, 3).Select(_ => random.Next(30)).ToArray();
                h.Writers.BeforeFirstFlushReturns = async () =>
                {
                    var c = await h.Table.WriteAndCommitAsync(keys.Select(k => new ChangeRow(RowKind.Insert, [(long)k, "outside"])).ToList());
                    outside.Add((c!.SnapshotId, keys));
                };
            }
            await h.Committer.FlushAsync();
            foreach (var (id, keys, result) in pending)
            {
                try { acknowledged.Add((id, (await result).SnapshotId, keys)); }
                catch (WriteNotCommittedException) { h.Forget(id); }
            }
        }

        // The model: every acknowledged write and outside commit, applied in snapshot order (a write's rows after the
        // earlier writes of its batch); nothing of a failed write.
        var model = new SortedDictionary<long, string>();
        foreach (var (_, keys, value) in acknowledged.Select(a => (a.Snapshot, a.Keys, a.Id)).Concat(outside.Select(o => (o.Snapshot, o.Keys, "outside")))
                     .Select((x, order) => (x, order)).OrderBy(t => t.x.Snapshot).ThenBy(t => t.order).Select(t => t.x))
            foreach (var k in keys) model[k] = value;
        Assert.Equal(model, await h.TableRowsAsync());
        var snapshots = await h.Table.Snapshots.ListAsync();
        Assert.Equal(Enumerable.Range(1, snapshots.Count).Select(i => (long)i), snapshots.Select(s => s.Id)); // a gapless chain
        Assert.Equal(acknowledged.Select(a => a.Id).Order(), snapshots.SelectMany(s => WriteIds.Decode(s.Properties)).Order());
        Assert.Empty((await h.DataFilesAsync()).Except(await h.LiveFilesAsync())); // aborted batches left no files
    }

    /// <summary>A table of two buckets, its bucket writers in memory, a committer with a hand-driven clock and wake-ups.</summary>
    private sealed class Harness
    {
        private readonly Dictionary<string, int[]> _written = new(StringComparer.Ordinal);
        private readonly List<string> _order = [];
        private readonly long _maxBytes;
        private readonly int _remembered;

        private Harness(FileStoreTable table, long maxBytes, int remembered)
        {
            (Table, _maxBytes, _remembered) = (table, maxBytes, remembered);
            Writers = new FakeBucketWriters(table);
        }

        public FileStoreTable Table { get; }
        public FakeBucketWriters Writers { get; }
        public StepClock Clock { get; } = new();
        public List<(TimeSpan Delay, Action Callback)> WakeUps { get; } = [];
        public GroupCommitter Committer { get; private set; } = null!;

        public static async Task<Harness> CreateAsync(long maxBytes = 1 << 20, int remembered = 100)
        {
            var table = await TestTables.CreateAsync(new InMemoryObjectStore(), new TableDefinition(
                SchemaParser.ParseColumns("id BIGINT, v STRING"), ["id"], [], 2, new Dictionary<string, string> { [CoreOptions.WriteOnlyKey] = "true" }));
            var h = new Harness(table, maxBytes, remembered);
            h.Committer = await h.NewCommitterAsync();
            return h;
        }

        public Task<GroupCommitter> NewCommitterAsync() => GroupCommitter.CreateAsync("db.t", _ => Task.FromResult(Table), Writers,
            new GroupCommitOptions { CommitInterval = Interval, MaxBufferedBytes = _maxBytes, DeduplicationSnapshots = _remembered },
            Clock, (delay, callback) => { WakeUps.Add((delay, callback)); return new Disposable(); }, NullLogger.Instance);

        /// <summary>Upserts keys with the write id as value, appended to the writers like a table grain would, then completed.</summary>
        public Task<GroupCommitResult> Write(string id, params int[] keys) => Write(id, null, keys);

        /// <param name="notBeforeMillis">For a retry: the earliest time a commit of its first attempt can have.</param>
        public Task<GroupCommitResult> Write(string id, long? notBeforeMillis, params int[] keys)
        {
            var buckets = Writers.Append(id, keys);
            if (!_written.ContainsKey(id)) _order.Add(id);
            _written[id] = keys;
            return Committer.CompleteAsync(new GroupCommitWrite(id, buckets, keys.Length, 60L * keys.Length, notBeforeMillis));
        }

        public void Forget(string id)
        {
            _written.Remove(id);
            _order.Remove(id);
        }

        public SortedDictionary<long, string> Model(params string[] except)
        {
            var model = new SortedDictionary<long, string>();
            foreach (var id in _order.Except(except))
                foreach (var k in _written[id]) model[k] = id;
            return model;
        }

        public async Task<SortedDictionary<long, string>> TableRowsAsync()
        {
            var rows = await (await Table.ScanAsync(new Scan.ScanOptions())).ToListAsync();
            return new SortedDictionary<long, string>(rows.ToDictionary(r => (long)r[0]!, r => (string)r[1]!));
        }

        public async Task<int> SnapshotCountAsync() => (await Table.Snapshots.ListAsync()).Count;

        public async Task<List<string>> DataFilesAsync() =>
            (await Table.Store.ListAsync(Table.Paths.Root + "/").ToListAsync()).Select(o => o.Path).Where(p => p.Contains("/bucket-", StringComparison.Ordinal)).Select(p => p[(p.LastIndexOf('/') + 1)..]).ToList();

        public async Task<List<string>> LiveFilesAsync() => (await Table.Snapshots.LatestAsync()) is { } s
            ? (await Table.Manifests.ReadLiveFilesAsync(s.BaseManifestList)).Select(e => e.File.FileName).ToList() : [];
    }

    /// <summary>Two bucket writers ("b0", "b1") over Core's <see cref="BucketBatchWriter"/>, with faults on demand.</summary>
    private sealed class FakeBucketWriters(FileStoreTable table) : IBucketWriters
    {
        private static readonly LookupFileCache Cache = new(1 << 20);
        private readonly WriteRouter _router = new(table.Schema);
        private readonly Dictionary<string, Dictionary<string, List<object?[]>>> _waiting = new() { ["b0"] = [], ["b1"] = [] };
        private readonly Dictionary<(string, long), Dictionary<string, List<object?[]>>> _sealed = [];
        private readonly Dictionary<string, BucketBatchWriter> _writers = new() { ["b0"] = new([], 0, NullLogger.Instance), ["b1"] = new([], 1, NullLogger.Instance) };
        private readonly HashSet<string> _refused = [];

        public string? FailFlushOf { get; set; }
        private Func<Task>? _beforeFirstFlushReturns;

        public Func<Task>? BeforeFirstFlushReturns { get => _beforeFirstFlushReturns; set => _beforeFirstFlushReturns = value; }
        public System.Collections.Concurrent.ConcurrentQueue<bool> RewriteFlags { get; } = []; // both buckets flush at once

        public string[] Append(string id, int[] keys)
        {
            foreach (var w in _waiting.Values) w.Remove(id);
            foreach (var k in keys)
            {
                var routed = _router.Route(RowKind.Insert, [(long)k, id]);
                var rows = _waiting["b" + routed.Bucket];
                if (!rows.TryGetValue(id, out var list)) rows[id] = list = [];
                list.Add(routed.Values);
            }
            return _waiting.Where(kv => kv.Value.ContainsKey(id)).Select(kv => kv.Key).ToArray();
        }

        public void LoseRows(string id) { foreach (var w in _waiting.Values) w.Remove(id); }
        public void RefuseRows(string id) => _refused.Add(id);

        public Task<BucketSeal> SealAsync(string bucket, long batchId, IReadOnlyList<string> writeIds)
        {
            var claimed = new Dictionary<string, List<object?[]>>();
            var missing = new List<string>();
            var stale = new List<string>();
            foreach (var id in writeIds)
            {
                if (!_waiting[bucket].Remove(id, out var rows)) missing.Add(id);
                else if (_refused.Contains(id)) stale.Add(id);
                else claimed[id] = rows;
            }
            _sealed[(bucket, batchId)] = claimed;
            return Task.FromResult(new BucketSeal(missing, stale));
        }

        public async Task<CommitMessage> FlushAsync(string bucket, long batchId, IReadOnlyList<string> writeIds, bool rewrite)
        {
            await Task.Yield();
            RewriteFlags.Enqueue(rewrite);
            if (bucket == FailFlushOf) throw new IOException($"disk full under {bucket}");
            var rows = writeIds.SelectMany(id => _sealed[(bucket, batchId)][id]).Select(v => (RowKind.Insert, (object?[])v.Clone())).ToAsyncEnumerable();
            var message = await _writers[bucket].WriteBatchAsync(table, rows, rewrite, () => Task.CompletedTask, TimeSpan.Zero, Cache);
            // Both buckets flush concurrently: only one of them may run the outside commit.
            if (Interlocked.Exchange(ref _beforeFirstFlushReturns, null) is { } outside) await outside();
            return message;
        }

        public void Release(string bucket, long batchId) => _sealed.Remove((bucket, batchId));
    }

    /// <summary>A clock whose timestamps only move when told, so "the interval passed" needs no sleeping.</summary>
    private sealed class StepClock : TimeProvider
    {
        private long _ticks = DateTimeOffset.UnixEpoch.AddYears(56).UtcTicks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => Interlocked.Read(ref _ticks);
        public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);
        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }

    private sealed class Disposable : IDisposable { public void Dispose() { } }
}
