using TableStore.Cli.Tests.Support;

namespace TableStore.Cli.Tests;

public sealed class OverwriteRescaleCommandTests : CliTestBase
{
    private const string Events = "shop.events";

    /// <summary>The header, then the rows in text order: with several buckets, scans come out bucket by bucket.</summary>
    private async Task<string> ScanSortedAsync(params string[] extra)
    {
        var lines = (await OkAsync(["scan", Events, "--format", "csv", .. extra])).StdoutLines;
        return string.Join("\n", lines.Take(1).Concat(lines.Skip(1).Order(StringComparer.Ordinal))) + "\n";
    }

    private async Task CreateEventsAsync()
    {
        await OkAsync("table", "create", Events, "--schema", "id BIGINT NOT NULL, day DATE NOT NULL, v INT", "--primary-key", "id,day", "--partition-by", "day", "--buckets", "2");
        await OkWithInputAsync("id,day,v\n1,2024-05-01,1\n2,2024-05-01,2\n3,2024-05-02,3\n", "write", Events);
    }

    [Fact]
    public async Task Overwrite_a_partition_then_the_whole_table()
    {
        await CreateEventsAsync();
        var r = await OkWithInputAsync("id,day,v\n9,2024-05-01,9\n", "write", Events, "--overwrite", "--partition", "day=2024-05-01");
        Assert.Equal("2\n", r.Stdout);
        Assert.Contains("replacing partition day=2024-05-01", r.Stderr);
        Assert.Equal("id,day,v\n3,2024-05-02,3\n9,2024-05-01,9\n", await ScanSortedAsync());

        var stray = await FailWithInputAsync("id,day,v\n4,2024-05-03,4\n", "write", Events, "--overwrite", "--partition", "day=2024-05-01");
        Assert.Contains("Row 1 belongs to partition day=2024-05-03, outside the overwritten partition day=2024-05-01.", stray.Stderr);
        Assert.Equal(2, (await RunAsync("write", Events, "--partition", "day=2024-05-01")).ExitCode); // --partition needs --overwrite

        // No rows with --overwrite empties the table.
        await OkWithInputAsync("id,day,v\n", "write", Events, "--overwrite");
        Assert.Equal("id,day,v\n", await ScanSortedAsync());
        Assert.Equal("id,day,v\n1,2024-05-01,1\n2,2024-05-01,2\n3,2024-05-02,3\n", await ScanSortedAsync("--snapshot", "1"));
    }

    [Fact]
    public async Task Rescale_changes_the_bucket_count_and_keeps_every_row()
    {
        await CreateEventsAsync();
        var before = await ScanSortedAsync();
        var r = await OkAsync("table", "rescale", Events, "--buckets", "4", "--partition", "day=2024-05-01");
        Assert.Equal("Rescaled shop.events from 2 to 4 buckets in snapshot 2: 1 partition, 2 rows rewritten.\n", r.Stdout);
        Assert.Equal(before, await ScanSortedAsync());
        // The partition not rescaled yet is looked up in the bucket its own count routes the key to.
        Assert.EndsWith("\n3,2024-05-02,3\n", (await OkAsync("lookup", Events, "--key", "id=3,day=2024-05-02", "--format", "csv")).Stdout);
        var refused = await FailWithInputAsync("id,day,v\n5,2024-05-02,5\n", "write", Events);
        Assert.Contains("the table is being rescaled", refused.Stderr);
        Assert.StartsWith("Rescaled shop.events from 4 to 4 buckets", (await OkAsync("table", "rescale", Events, "--buckets", "4")).Stdout);
        await OkWithInputAsync("id,day,v\n5,2024-05-02,5\n", "write", Events);
        Assert.Equal("shop.events already has 4 buckets: nothing rewritten.\n", (await OkAsync("table", "rescale", Events, "--buckets", "4")).Stdout);
        Assert.Contains("Buckets:         4", (await OkAsync("table", "describe", Events)).Stdout);
    }
}
