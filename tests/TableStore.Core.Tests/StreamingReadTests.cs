using System.Runtime.CompilerServices;
using TableStore.Core.Data;
using TableStore.Core.IO;
using TableStore.Core.Scan;
using TableStore.Core.Schema;
using TableStore.Core.Table;
using TableStore.Core.Tests.Support;
using TableStore.Testing;

namespace TableStore.Core.Tests;

/// <summary>
/// Reads stream a row group at a time: a scan's first row comes out after the first row groups of the split's files
/// were fetched, not the files, and a compaction of files many row groups long gives the rows and files it should.
/// Measured on a store that reads in ranges (as S3 and Azure do), counting the bytes fetched.
/// </summary>
public class StreamingReadTests
{
    private const int Rows = 40_000;

    private static async Task<(FileStoreTable Table, RangeCountingStore Store)> CreateAsync(string kind)
    {
        var store = new RangeCountingStore(new InMemoryObjectStore());
        var options = new Dictionary<string, string>
        {
            [CoreOptions.RowGroupRowsKey] = "1024",
            [CoreOptions.WriteOnlyKey] = "true",
            [CoreOptions.CompressionKey] = "none",
        };
        var def = new TableDefinition(SchemaParser.ParseColumns("id BIGINT NOT NULL, note STRING"), kind == "pk" ? ["id"] : null, null, 1, options);
        var table = await TestTables.CreateAsync(store, def);
        // Two runs of the same keys, the second updating every other key: each file is ~40 row groups.
        for (int run = 0; run < 2; run++)
        {
            var rows = Enumerable.Range(0, Rows).Where(i => run == 0 || i % 2 == 0)
                .Select(i => new ChangeRow(RowKind.Insert, [(long)i, $"run {run} row {i} {new string('x', 40)}"])).ToList();
            await table.WriteAndCommitAsync(rows);
        }
        return (table, store);
    }

    [Theory]
    [InlineData("pk")]
    [InlineData("append")]
    public async Task A_scan_fetches_a_row_group_per_file_before_its_first_row(string kind)
    {
        var (table, store) = await CreateAsync(kind);
        var plan = await table.NewScan().PlanAsync(await table.Snapshots.LatestAsync(), null);
        long fileBytes = plan.Splits.SelectMany(s => s.Files).Sum(f => f.FileSize);
        Assert.True(plan.Splits.SelectMany(s => s.Files).All(f => f.RowCount > 10 * 1024), "files of many row groups");

        store.BytesRead = 0;
        var result = await table.ScanAsync(new ScanOptions());
        await using (var rows = result.Rows.GetAsyncEnumerator())
        {
            Assert.True(await rows.MoveNextAsync());
            Assert.Equal(0L, rows.Current[0]);
            // Footers, the first row group or two (one decoding ahead) per file: a small part of the files.
            Assert.True(store.BytesRead < fileBytes / 4, $"{store.BytesRead:N0} of {fileBytes:N0} bytes fetched before the first row");
        }

        var all = await (await table.ScanAsync(new ScanOptions())).Rows.ToListAsync();
        if (kind == "pk")
        {
            Assert.Equal(Enumerable.Range(0, Rows).Select(i => (long)i), all.Select(r => (long)r[0]!));
            Assert.All(all, r => Assert.StartsWith((long)r[0]! % 2 == 0 ? "run 1 " : "run 0 ", (string)r[1]!));
        }
        else Assert.Equal(Rows + Rows / 2, all.Count);
    }

    [Theory]
    [InlineData("pk")]
    [InlineData("append")]
    public async Task A_full_compaction_of_long_files_keeps_every_row_once(string kind)
    {
        var (table, _) = await CreateAsync(kind);
        var before = await (await table.ScanAsync(new ScanOptions())).Rows.ToListAsync();
        Assert.NotNull((await table.CompactAsync(new CompactOptions { Full = true })).SnapshotId);
        var plan = await table.NewScan().PlanAsync(await table.Snapshots.LatestAsync(), null);
        var file = Assert.Single(plan.Splits.SelectMany(s => s.Files));
        Assert.Equal(before.Count, file.RowCount);
        if (kind == "pk")
        {
            Assert.Equal(0L, file.MinKey[0]);
            Assert.Equal(Rows - 1L, file.MaxKey[0]);
        }
        var after = await (await table.ScanAsync(new ScanOptions())).Rows.ToListAsync();
        Assert.Equal(before.Select(r => ((long)r[0]!, (string)r[1]!)), after.Select(r => ((long)r[0]!, (string)r[1]!)));
    }

    /// <summary>An in-memory store that reads in 64 KiB ranges, like the cloud stores, and counts the bytes it returns.</summary>
    private sealed class RangeCountingStore(IObjectStore inner) : IObjectStore
    {
        private long _bytesRead;

        public long BytesRead { get => Interlocked.Read(ref _bytesRead); set => Interlocked.Exchange(ref _bytesRead, value); }
        public string Location => inner.Location;
        public int? RangeReadBlockSize => 64 * 1024;

        public async Task<byte[]> GetAsync(string path, CancellationToken ct = default) => Counted(await inner.GetAsync(path, ct));
        public async Task<byte[]> GetRangeAsync(string path, long offset, int length, CancellationToken ct = default) => Counted(await inner.GetRangeAsync(path, offset, length, ct));
        public Task PutAsync(string path, ReadOnlyMemory<byte> data, CancellationToken ct = default) => inner.PutAsync(path, data, ct);
        public Task<bool> PutIfAbsentAsync(string path, ReadOnlyMemory<byte> data, CancellationToken ct = default) => inner.PutIfAbsentAsync(path, data, ct);
        public IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken ct = default) => inner.ListAsync(prefix, ct);
        public Task DeleteAsync(string path, CancellationToken ct = default) => inner.DeleteAsync(path, ct);
        public Task<bool> ExistsAsync(string path, CancellationToken ct = default) => inner.ExistsAsync(path, ct);

        private byte[] Counted(byte[] bytes)
        {
            Interlocked.Add(ref _bytesRead, bytes.Length);
            return bytes;
        }
    }
}
