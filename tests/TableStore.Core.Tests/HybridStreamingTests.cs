using System.Globalization;
using TableStore.Core.Data;
using TableStore.Core.Manifest;
using TableStore.Core.Schema;
using TableStore.Core.Streaming;
using TableStore.Core.Table;
using TableStore.Core.Tests.Support;
using Xunit.Abstractions;

namespace TableStore.Core.Tests;

/// <summary>
/// A hybrid read (the start from the lake, then a change log from the positions a snapshot records, the lake for
/// whatever the log lacks) delivers exactly what a read of the lake alone delivers, while the log loses publishes,
/// sends them late, twice, only as a marker or with rows of another schema, and compactions are never published at all.
/// </summary>
public sealed class HybridStreamingTests(ITestOutputHelper output)
{
    private const string PositionKey = "log/0";

    [Theory]
    [InlineData(1, "snapshot:1")]
    [InlineData(2, "latest-full")]
    [InlineData(3, "earliest")]
    [InlineData(4, "snapshot:9")]
    public async Task A_hybrid_read_equals_the_lake_read_through_lost_late_duplicated_marked_and_reshaped_publishes(int seed, string start) =>
        await Seeded.RunAsync(output, $"seed {seed}, from {start}", () => RunModel(seed, start));

    private static async Task RunModel(int seed, string start)
    {
        var random = new Random(seed);
        var table = await TestTables.CreateAsync(new InMemoryObjectStore(), new TableDefinition(
            SchemaParser.ParseColumns("id BIGINT, v INT"), ["id"], null, 2,
            new Dictionary<string, string> { [CoreOptions.CompactionTriggerKey] = "3" }));
        var log = new ListChangeLog();
        var changes = new SnapshotChanges(table);
        var late = new List<ChangeLogEntry>(); // publishes that failed and go out again after later ones
        var options = new StreamingOptions { Start = StreamStart.Parse(start), PollInterval = TimeSpan.FromMilliseconds(2), LakeCheckInterval = TimeSpan.FromMilliseconds(30) };

        async Task WriteAsync(int step)
        {
            var rows = Enumerable.Range(0, random.Next(1, 8)).Select(_ => random.Next(5) == 0
                ? new ChangeRow(RowKind.Delete, [(long)random.Next(30), null])
                : new ChangeRow(RowKind.Insert, [(long)random.Next(30), step])).ToList();
            // The position is the log's end as the commit is made: every later publish lands at or after it.
            var committed = (await table.WriteAndCommitAsync(rows, new WriteOptions
            {
                LogOffsets = new Dictionary<string, string> { [PositionKey] = log.End.ToString(CultureInfo.InvariantCulture) },
            }))!;
            var entry = new ChangeLogEntry(committed.SnapshotId, await changes.ReadAsync(await table.Snapshots.GetAsync(committed.SnapshotId)), table.Schema.Id);
            switch (random.Next(9))
            {
                case 0: break; // lost
                case 1: late.Add(entry); break;
                case 2: log.Append(entry with { Batch = null }); break; // too large: read it from the lake
                case 3: log.Append(entry); log.Append(entry); break;
                case 4: log.Append(entry with { SchemaId = table.Schema.Id + 1 }); break; // rows of another shape than the reader's
                default:
                    log.Append(entry);
                    if (late.Count > 0 && random.Next(3) == 0)
                    {
                        foreach (var l in late) log.Append(l);
                        late.Clear();
                    }
                    break;
            }
        }

        for (int step = 0; step < 10; step++) await WriteAsync(step); // a start with history behind it
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var reader = new StreamingReader(table, log);
        var hybrid = new List<ChangeBatch>();
        var reading = Task.Run(async () =>
        {
            await foreach (var batch in reader.ReadAsync(options, stop.Token))
                lock (hybrid) hybrid.Add(batch);
        });
        for (int step = 10; step < 60; step++)
        {
            await WriteAsync(step);
            if (random.Next(4) == 0) await Task.Delay(random.Next(1, 10));
        }
        var last = (await table.Snapshots.LatestIdAsync())!.Value;
        while (!reading.IsCompleted && LastId(hybrid) < last) await Task.Delay(5);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);

        // The same start, read from the lake alone ("latest-full" and "earliest" meant the snapshot the hybrid read began at).
        var lake = new List<ChangeBatch>();
        long from = hybrid[0].SnapshotId;
        if (hybrid[0].IsFullSnapshot) lake.Add(await changes.ReadFullAsync(await table.Snapshots.GetAsync(from++)));
        lake.AddRange(await new StreamingReader(table).ReadAsync(options with { Start = StreamStart.Parse($"snapshot:{from}"), IdleTimeout = TimeSpan.Zero }).ToListAsync());
        Assert.Equal(lake.Select(Show), hybrid.Select(Show));
        Assert.True(reader.FromChangeLog > 0, "some snapshots came from the log");
        Assert.True(reader.FromChangeLog < hybrid.Count, "what the log lacked came from the lake");
    }

    [Fact]
    public async Task Without_positions_in_the_snapshots_the_reader_follows_the_lake_and_switches_to_the_log_once_a_snapshot_records_one()
    {
        var table = await TestTables.CreateAsync(new InMemoryObjectStore(), new TableDefinition(SchemaParser.ParseColumns("id BIGINT, v INT"), ["id"], null, 1));
        var log = new ListChangeLog();
        var changes = new SnapshotChanges(table);
        async Task<long> Write(long id, bool record)
        {
            var committed = (await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [id, 1])],
                new WriteOptions { LogOffsets = record ? new Dictionary<string, string> { [PositionKey] = log.End.ToString(CultureInfo.InvariantCulture) } : null }))!;
            log.Append(new ChangeLogEntry(committed.SnapshotId, await changes.ReadAsync(await table.Snapshots.GetAsync(committed.SnapshotId)), table.Schema.Id));
            return committed.SnapshotId;
        }
        await Write(1, record: false);
        await Write(2, record: false);
        var reader = new StreamingReader(table, log);
        await using var read = reader.ReadAsync(new StreamingOptions { Start = StreamStart.Parse("snapshot:1"), PollInterval = TimeSpan.FromMilliseconds(5), LakeCheckInterval = TimeSpan.FromMinutes(5) }).GetAsyncEnumerator();
        async Task<long> Next() => await read.MoveNextAsync() ? read.Current.SnapshotId : -1;
        Assert.Equal(1, await Next());
        Assert.Equal(2, await Next());
        Assert.Null(log.SeekedAt); // no positions yet: the lake is polled
        var moving = Next();
        await Write(3, record: true);
        Assert.Equal(3, await moving); // polled from the lake, and it records where the log is: the reader follows it from there
        Assert.Equal(0, reader.FromChangeLog);
        moving = Next();
        await Write(4, record: true);
        Assert.Equal(4, await moving); // from the log: the lake is checked only every 5 minutes
        Assert.Equal(1, reader.FromChangeLog);
        Assert.Equal("log/0=2", log.SeekedAt);
    }

    private static long LastId(List<ChangeBatch> batches)
    {
        lock (batches) return batches.Count == 0 ? 0 : batches[^1].SnapshotId;
    }

    private static string Show(ChangeBatch b) =>
        $"{b.SnapshotId} {b.Kind} full={b.IsFullSnapshot}: " + string.Join(" ", b.Rows.Select(r => $"{r.Kind.ToShortString()}({string.Join(",", r.Values)})"));

    /// <summary>A log in memory: entries in publish order, read from the position a snapshot records.</summary>
    private sealed class ListChangeLog : IChangeLog
    {
        private readonly List<ChangeLogEntry> _entries = [];
        private int _next;

        public int End
        {
            get { lock (_entries) return _entries.Count; }
        }

        public string? SeekedAt { get; private set; }

        public void Append(ChangeLogEntry entry)
        {
            lock (_entries) _entries.Add(entry);
        }

        public bool Seek(IReadOnlyDictionary<string, string> logOffsets)
        {
            if (!logOffsets.TryGetValue(PositionKey, out var at)) return false;
            _next = int.Parse(at, CultureInfo.InvariantCulture);
            SeekedAt = $"{PositionKey}={at}";
            return true;
        }

        public async ValueTask<ChangeLogEntry?> ReadAsync(TimeSpan wait, CancellationToken ct)
        {
            var deadline = DateTime.UtcNow + wait;
            while (true)
            {
                lock (_entries)
                    if (_next < _entries.Count) return _entries[_next++];
                if (DateTime.UtcNow >= deadline) return null;
                await Task.Delay(1, ct);
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
