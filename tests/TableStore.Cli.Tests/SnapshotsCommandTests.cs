using System.Globalization;
using System.Text.Json;
using TableStore.Cli.Tests.Support;

namespace TableStore.Cli.Tests;

public sealed class SnapshotsCommandTests : CliTestBase
{
    private const string Header = "id,time,kind,total_records,delta_records,changelog_records,schema_id,commit_user,commit_identifier";

    [Fact]
    public async Task Csv_lists_one_row_per_snapshot_with_the_contract_columns()
    {
        var before = DateTime.UtcNow.AddSeconds(-1);
        await CreateSeededOrdersAsync();
        await OkWithInputAsync("_op,id,qty\n-D,1,0\n", "write", Orders);

        var r = await OkAsync("snapshots", Orders, "--format", "csv");
        var lines = r.StdoutLines;
        Assert.Equal(Header, lines[0]);
        Assert.StartsWith("id,time,kind,", lines[0]);
        Assert.Equal(3, lines.Length);

        var first = lines[1].Split(',');
        var second = lines[2].Split(',');
        Assert.Equal(["1", "APPEND", "3", "3", "0", "0"], [first[0], first[2], first[3], first[4], first[5], first[6]]);
        Assert.Equal(["2", "APPEND", "4", "1"], [second[0], second[2], second[3], second[4]]);
        foreach (var row in new[] { first, second })
        {
            var time = DateTime.ParseExact(row[1], "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            Assert.InRange(time, before, DateTime.UtcNow.AddSeconds(1));
            Assert.NotEmpty(row[7]);
            Assert.Equal("1", row[8]);
        }
        Assert.Equal("", r.Stderr);
    }

    [Fact]
    public async Task Table_and_jsonl_formats()
    {
        await CreateSeededOrdersAsync();
        var grid = await OkAsync("snapshots", Orders);
        var lines = grid.StdoutLines;
        Assert.Matches(@"^id \| time +\| kind +\| total_records \| delta_records \| changelog_records \| schema_id \| commit_user +\| commit_identifier$", lines[0]);
        Assert.Matches(@"^-+(-\+-+)+$", lines[1]);
        Assert.Matches(@"^ 1 \| \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \| APPEND \| +3 \| +3 \| +0 \| +0 \| \w+ \| +1$", lines[2]);
        Assert.Equal("(1 snapshot)\n", grid.Stderr);

        var jsonl = await OkAsync("snapshots", Orders, "--format", "jsonl");
        using var doc = JsonDocument.Parse(Assert.Single(jsonl.StdoutLines));
        Assert.Equal(["id", "time", "kind", "total_records", "delta_records", "changelog_records", "schema_id", "commit_user", "commit_identifier"],
            doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, doc.RootElement.GetProperty("id").GetInt64());
        Assert.Equal("APPEND", doc.RootElement.GetProperty("kind").GetString());
        Assert.Equal(3, doc.RootElement.GetProperty("total_records").GetInt64());
    }

    [Fact]
    public async Task A_table_without_snapshots_lists_none()
    {
        await CreateOrdersAsync();
        Assert.Equal(Header + "\n", (await OkAsync("snapshots", Orders, "--format", "csv")).Stdout);
        Assert.Equal("(0 snapshots)\n", (await OkAsync("snapshots", Orders)).Stderr);
    }
}
