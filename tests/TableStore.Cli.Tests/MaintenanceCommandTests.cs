using TableStore.Cli.Tests.Support;

namespace TableStore.Cli.Tests;

public sealed class MaintenanceCommandTests : CliTestBase
{
    private async Task WriteBatchesAsync(int count)
    {
        for (int i = 0; i < count; i++)
            await OkWithInputAsync($"id,customer,amount,qty,day\n{i},c{i},1.00,{i},2024-05-01\n1,again{i},2.00,1,\n", "write", Orders);
    }

    [Fact]
    public async Task Compact_full_rewrites_every_bucket_and_reads_the_same()
    {
        await OkAsync("table", "create", Orders, "--schema", OrdersSchema, "--primary-key", "id", "--option", "write-only=true");
        await WriteBatchesAsync(4);
        var before = (await OkAsync("scan", Orders, "--format", "csv")).Stdout;

        var nothing = await OkAsync("compact", Orders);
        Assert.Equal("Nothing to compact in shop.orders (no bucket reached a compaction trigger; --full rewrites every bucket).\n", nothing.Stdout);
        var full = await OkAsync("compact", Orders, "--full");
        Assert.StartsWith("Compacted 1 bucket of shop.orders in snapshot 5: 4 files (", full.Stdout);
        Assert.Contains("7 rows) into 1 (", full.Stdout); // id 1 twice in the second write: merged there
        Assert.EndsWith("4 rows).\n", full.Stdout);
        Assert.Equal(before, (await OkAsync("scan", Orders, "--format", "csv")).Stdout);
        Assert.Contains("COMPACT", (await OkAsync("snapshots", Orders)).Stdout);
        Assert.Equal("Nothing to compact in shop.orders.\n", (await OkAsync("compact", Orders, "--full")).Stdout);

        var bad = await FailAsync("compact", Orders, "--partition", "day=2024-05-01");
        Assert.Equal("error: --partition 'day=2024-05-01' was given, but the table is not partitioned.\n", bad.Stderr);
    }

    [Fact]
    public async Task Compact_one_partition()
    {
        await OkAsync("table", "create", "shop.events", "--schema", "id BIGINT NOT NULL, day DATE NOT NULL, v INT",
            "--primary-key", "id,day", "--partition-by", "day", "--option", "write-only=true");
        for (int i = 0; i < 3; i++)
            await OkWithInputAsync($"id,day,v\n{i},2024-05-01,{i}\n{i},2024-05-02,{i}\n", "write", "shop.events");
        var r = await OkAsync("compact", "shop.events", "--full", "--partition", "day=2024-05-02");
        Assert.StartsWith("Compacted 1 bucket of shop.events", r.Stdout);
        var bad = await FailAsync("compact", "shop.events", "--partition", "region=eu");
        Assert.Equal("error: 'region' in partition 'region=eu' is not a partition column; the table is partitioned by day.\n", bad.Stderr);
        var badValue = await FailAsync("compact", "shop.events", "--partition", "day=yesterday");
        Assert.Contains("'yesterday' is not a valid DATE", badValue.Stderr);
    }

    [Fact]
    public async Task Expire_keeps_the_last_snapshots_and_tags()
    {
        await OkAsync("table", "create", Orders, "--schema", OrdersSchema, "--primary-key", "id", "--option", "write-only=true");
        await WriteBatchesAsync(5);
        await OkAsync("tag", "create", Orders, "v2", "--snapshot", "2");
        var tagged = (await OkAsync("scan", Orders, "--tag", "v2", "--format", "csv")).Stdout;

        var r = await OkAsync("expire", Orders, "--retain-last", "2");
        Assert.Equal("Expired 3 snapshots of shop.orders; the earliest retained is 4. Deleted 0 data files and 4 manifest files.\n", r.Stdout);
        var ids = (await OkAsync("snapshots", Orders, "--format", "csv")).StdoutLines.Skip(1).Select(l => l.Split(',')[0]);
        Assert.Equal(["4", "5"], ids);
        Assert.Equal(tagged, (await OkAsync("scan", Orders, "--tag", "v2", "--format", "csv")).Stdout);
        var gone = await FailAsync("scan", Orders, "--snapshot", "1");
        Assert.Equal("error: Snapshot 1 has expired: the earliest retained snapshot is 4.\n", gone.Stderr);

        Assert.Equal("No snapshot of shop.orders expired; the earliest is 4.\n", (await OkAsync("expire", Orders, "--retain-last", "2")).Stdout);
        // Young snapshots stay with --older-than.
        Assert.StartsWith("No snapshot", (await OkAsync("expire", Orders, "--retain-last", "1", "--older-than", "1h")).Stdout);

        Assert.Contains("Invalid --older-than 'soon'", (await FailAsync("expire", Orders, "--retain-last", "1", "--older-than", "soon")).Stderr);
        Assert.Equal(2, (await RunAsync("expire", Orders)).ExitCode); // --retain-last is required
        Assert.Contains("--retain-last must be 1 or more", (await FailAsync("expire", Orders, "--retain-last", "0")).Stderr);
    }

    [Fact]
    public async Task Orphans_clean_lists_and_removes_only_old_unreferenced_files()
    {
        await CreateSeededOrdersAsync();
        var bucket = Path.Combine(Warehouse, "shop.db", "orders", "bucket-0");
        var stray = Path.Combine(bucket, "data-" + Guid.NewGuid().ToString("N") + ".parquet");
        File.WriteAllBytes(stray, [1, 2, 3, 4]);
        File.SetLastWriteTimeUtc(stray, DateTime.UtcNow.AddDays(-3));
        var fresh = Path.Combine(bucket, "data-" + Guid.NewGuid().ToString("N") + ".parquet");
        File.WriteAllBytes(fresh, [1]);

        var dry = await OkAsync("orphans", "clean", Orders, "--dry-run");
        Assert.Single(dry.StdoutLines);
        Assert.StartsWith($"shop.db/orders/bucket-0/{Path.GetFileName(stray)}\t4\t", dry.Stdout);
        Assert.Contains("1 orphan file (4 B) would be removed from shop.orders (dry run).", dry.Stderr);
        Assert.Contains("1 unreferenced file younger than 1d kept", dry.Stderr);
        Assert.True(File.Exists(stray));

        var clean = await OkAsync("orphans", "clean", Orders);
        Assert.Contains("Removed 1 orphan file (4 B) from shop.orders.", clean.Stderr);
        Assert.False(File.Exists(stray));
        Assert.True(File.Exists(fresh));
        var all = await OkAsync("orphans", "clean", Orders, "--older-than", "0s");
        Assert.False(File.Exists(fresh));
        Assert.Equal(3, (await OkAsync("scan", Orders, "--format", "csv")).StdoutLines.Length - 1);
        Assert.Contains("Invalid --older-than '-1h'", (await FailAsync("orphans", "clean", Orders, "--older-than", "-1h")).Stderr);
    }
}
