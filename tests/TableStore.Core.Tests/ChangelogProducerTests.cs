using TableStore.Core.Data;
using TableStore.Core.IO;
using TableStore.Core.Manifest;
using TableStore.Core.Maintenance;
using TableStore.Core.Schema;
using TableStore.Core.Streaming;
using TableStore.Core.Table;
using TableStore.Core.Tests.Support;
using Xunit.Abstractions;

namespace TableStore.Core.Tests;

/// <summary>
/// What a streaming reader gets from each changelog producer, checked against a model: <c>input</c> gives the rows
/// as written; <c>lookup</c> and <c>full-compaction</c> give exact changes, where every -U/-D carries the value the
/// key had and every +I/+U its new value, so applying them strictly rebuilds the table.
/// </summary>
public class ChangelogProducerTests(ITestOutputHelper output)
{
    public static TheoryData<string, string, int> Cases => new()
    {
        { "input", "deduplicate", 81 },
        { "lookup", "deduplicate", 82 },
        { "lookup", "partial-update", 83 },
        { "lookup", "aggregation", 84 },
        { "full-compaction", "deduplicate", 85 },
        { "full-compaction", "partial-update", 86 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Readers_see_what_the_producer_promises(string producer, string engine, int seed) =>
        await Seeded.RunAsync(output, $"{producer}/{engine}, seed {seed}", () => Run(producer, engine, seed));

    private static async Task Run(string producer, string engine, int seed)
    {
        var random = new Random(seed);
        var options = new Dictionary<string, string>
        {
            [CoreOptions.ChangelogProducerKey] = producer,
            [CoreOptions.MergeEngineKey] = engine,
            [CoreOptions.WriteBufferSizeKey] = "1kb", // several flushes per write: lookups must see earlier flushes of the same write
            [CoreOptions.CompactionTriggerKey] = "3",
        };
        if (engine == "aggregation") options["fields.v.aggregate-function"] = "sum";
        var table = await TestTables.CreateAsync(new InMemoryObjectStore(), new TableDefinition(
            SchemaParser.ParseColumns("id BIGINT, v INT, note STRING"), ["id"], null, 2, options));
        var model = new Dictionary<long, object?[]>();
        var states = new Dictionary<long, Dictionary<long, object?[]>>();
        var written = new Dictionary<long, List<ChangeRow>>();

        for (int step = 0; step < 25; step++)
        {
            var batch = new List<ChangeRow>();
            for (int i = 0, n = random.Next(1, 30); i < n; i++)
            {
                long id = random.Next(15);
                bool delete = engine != "aggregation" && random.Next(6) == 0;
                object?[] row = delete ? [id, null, null] : [id, random.Next(3) == 0 && engine == "partial-update" ? null : random.Next(50), random.Next(3) == 0 ? null : $"n{random.Next(9)}"];
                batch.Add(new ChangeRow(delete ? RowKind.Delete : RowKind.Insert, row));
                ApplyToModel(model, engine, delete, (object?[])row.Clone());
            }
            var result = (await table.WriteAndCommitAsync(batch.Select(r => r with { Values = (object?[])r.Values.Clone() }).ToList()))!;
            states[result.SnapshotId] = Copy(model);
            written[result.SnapshotId] = batch;
            if (result.Compaction?.SnapshotId is { } c) states[c] = Copy(model);
            if (random.Next(4) == 0 && (await table.CompactAsync(new CompactOptions { Full = true })).SnapshotId is { } f) states[f] = Copy(model);
        }
        if ((await table.CompactAsync(new CompactOptions { Full = true })).SnapshotId is { } last) states[last] = Copy(model);

        var rebuilt = new Dictionary<long, object?[]>();
        Dictionary<long, object?[]>? atLastFull = null;
        await foreach (var batch in new StreamingReader(table).ReadAsync(new StreamingOptions { Start = StreamStart.Parse("snapshot:1"), IdleTimeout = TimeSpan.Zero }))
        {
            var context = $"snapshot {batch.SnapshotId} ({batch.Kind})";
            if (producer == "input")
            {
                // The rows as written; files are per bucket, so the order holds per key (per bucket), not across buckets.
                static ILookup<long, string> ByKey(IEnumerable<ChangeRow> rows) =>
                    rows.ToLookup(r => (long)r.Values[0]!, r => r.Kind.ToShortString() + string.Join("|", r.Values.Select(Values.Format)));
                if (batch.Kind == CommitKind.Append)
                {
                    var expected = ByKey(written[batch.SnapshotId]);
                    var actual = ByKey(batch.Rows);
                    Assert.Equal(expected.Count, actual.Count);
                    foreach (var key in expected) Assert.Equal(key, actual[key.Key]);
                }
                else Assert.Empty(batch.Rows);
                continue;
            }
            foreach (var change in batch.Rows) ApplyStrictly(rebuilt, change, context);
            if (producer == "lookup") Assert.True(Same(states[batch.SnapshotId], rebuilt), $"{context}: rebuilt state differs from the model");
            else if (batch.Kind == CommitKind.Compact && batch.Rows.Count > 0) atLastFull = Copy(rebuilt);
            else if (batch.Kind == CommitKind.Append) Assert.Empty(batch.Rows); // full-compaction: changes come with full compactions only
        }
        if (producer == "full-compaction")
        {
            Assert.NotNull(atLastFull);
            Assert.True(Same(model, rebuilt), "after the last full compaction, the rebuilt state equals the model");
        }
    }

    private static void ApplyToModel(Dictionary<long, object?[]> model, string engine, bool delete, object?[] row)
    {
        long id = (long)row[0]!;
        if (delete) { model.Remove(id); return; }
        if (!model.TryGetValue(id, out var current)) { model[id] = row; return; }
        switch (engine)
        {
            case "partial-update":
                for (int c = 1; c < row.Length; c++) if (row[c] is not null) current[c] = row[c];
                break;
            case "aggregation":
                current[1] = current[1] is null ? row[1] : row[1] is null ? current[1] : (int)current[1]! + (int)row[1]!;
                current[2] = row[2] ?? current[2]; // the default, last_non_null_value
                break;
            default:
                model[id] = row;
                break;
        }
    }

    /// <summary>Applies one change, checking it against what the reader holds: exact before-images, no blind upserts.</summary>
    private static void ApplyStrictly(Dictionary<long, object?[]> state, ChangeRow change, string context)
    {
        long id = (long)change.Values[0]!;
        switch (change.Kind)
        {
            case RowKind.Insert or RowKind.UpdateAfter:
                Assert.False(state.ContainsKey(id), $"{context}: {change.Kind.ToShortString()} for key {id}, which is present (no -U before it)");
                state[id] = change.Values;
                break;
            default:
                Assert.True(state.TryGetValue(id, out var current), $"{context}: {change.Kind.ToShortString()} for absent key {id}");
                Assert.True(current!.SequenceEqual(change.Values, MergeTree.ValueEquality.Instance), $"{context}: {change.Kind.ToShortString()} of key {id} carries [{string.Join(",", change.Values.Select(Values.Format))}], the value was [{string.Join(",", current!.Select(Values.Format))}]");
                state.Remove(id);
                break;
        }
    }

    private static Dictionary<long, object?[]> Copy(Dictionary<long, object?[]> s) => s.ToDictionary(kv => kv.Key, kv => (object?[])kv.Value.Clone());

    private static bool Same(Dictionary<long, object?[]> a, Dictionary<long, object?[]> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && kv.Value.SequenceEqual(v, MergeTree.ValueEquality.Instance));

    [Fact]
    public async Task A_lookup_commit_that_changes_nothing_gives_no_change()
    {
        var table = await TestTables.CreateAsync(new InMemoryObjectStore(), TestTables.Orders(1, new Dictionary<string, string> { [CoreOptions.ChangelogProducerKey] = "lookup" }));
        await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [1L, "c", 10m, null])]);
        await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [1L, "c", 10m, null])]); // the same row again
        var batches = await new StreamingReader(table).ReadAsync(new StreamingOptions { Start = StreamStart.Parse("snapshot:1"), IdleTimeout = TimeSpan.Zero }).ToListAsync();
        Assert.Single(batches[0].Rows);
        Assert.Empty(batches[1].Rows);
    }

    [Fact]
    public async Task Full_compaction_after_an_overwrite_does_not_emit_the_overwrite_again()
    {
        var table = await TestTables.CreateAsync(new InMemoryObjectStore(), TestTables.Orders(2, new Dictionary<string, string>
        {
            [CoreOptions.ChangelogProducerKey] = "full-compaction", [CoreOptions.WriteOnlyKey] = "true",
        }));
        await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [1L, "a", 1m, null]), new ChangeRow(RowKind.Insert, [2L, "b", 2m, null])]);
        await table.CompactAsync(new CompactOptions { Full = true });
        await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [2L, "b", 20m, null]), new ChangeRow(RowKind.Insert, [3L, "c", 3m, null])], new WriteOptions { Kind = CommitKind.Overwrite });
        await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [4L, "d", 4m, null])]);
        await table.CompactAsync(new CompactOptions { Full = true });
        var state = new Dictionary<long, object?[]>();
        var kinds = new List<string>();
        await foreach (var batch in new StreamingReader(table).ReadAsync(new StreamingOptions { Start = StreamStart.Parse("snapshot:1"), IdleTimeout = TimeSpan.Zero }))
            foreach (var change in batch.Rows)
            {
                ApplyStrictly(state, change, $"snapshot {batch.SnapshotId}");
                kinds.Add($"{batch.SnapshotId}:{change.Kind.ToShortString()}{change.Values[0]}");
            }
        // Full compaction 1: +I1 +I2; the overwrite: -D1, -U2/+U2, +I3; the last full compaction: only +I4.
        string[] expected = ["2:+I1", "2:+I2", "3:-D1", "3:-U2", "3:+U2", "3:+I3", "5:+I4"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), kinds.Order(StringComparer.Ordinal));
        Assert.Equal([2L, 3L, 4L], state.Keys.Order());
    }

    [Fact]
    public async Task Changelog_files_expire_with_their_snapshot_and_are_never_orphans_while_it_lives()
    {
        var table = await TestTables.CreateAsync(new InMemoryObjectStore(), TestTables.Orders(1, new Dictionary<string, string> { [CoreOptions.ChangelogProducerKey] = "input" }));
        for (int i = 0; i < 3; i++) await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [(long)i, "c", 1m, null])]);
        var changelogFiles = (await table.Store.ListAllAsync("db.db/t/")).Where(o => o.Path.Contains("/changelog-", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, changelogFiles.Count);
        Assert.Empty((await new OrphanFilesClean(table).RunAsync(new OrphanCleanOptions(TimeSpan.Zero, DryRun: true))).Orphans);
        await new SnapshotExpiration(table).RunAsync(new ExpireOptions(1));
        Assert.Single(await table.Store.ListAllAsync("db.db/t/"), o => o.Path.Contains("/changelog-", StringComparison.Ordinal));
        Assert.Empty((await new OrphanFilesClean(table).RunAsync(new OrphanCleanOptions(TimeSpan.Zero, DryRun: true))).Orphans);
    }
}
