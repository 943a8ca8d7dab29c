using TableStore.Cli.Tests.Support;

namespace TableStore.Cli.Tests;

public sealed class StreamCommandTests : CliTestBase
{
    [Fact]
    public async Task Stream_prints_changes_with_their_kind_and_snapshot()
    {
        await CreateSeededOrdersAsync();
        await OkWithInputAsync("_op,id,customer,amount,qty,day\n-D,2,,,0,\n+U,3,carol,1.00,9,\n", "write", Orders);

        var csv = await OkAsync("stream", Orders, "--from", "snapshot:1", "--timeout", "0", "--format", "csv");
        Assert.Equal(
            "_op,_snapshot,id,customer,amount,qty,day\n" +
            "+I,1,1,alice,10.50,1,2024-05-01\n+I,1,2,bob,,2,2024-05-02\n+I,1,3,\"carol, jr\",-3.25,3,\n" +
            "-D,2,2,,,0,\n+U,2,3,carol,1.00,9,\n", csv.Stdout);

        var json = await OkAsync("stream", Orders, "--from", "snapshot:2", "--timeout", "0");
        Assert.Equal("{\"_op\":\"-D\",\"_snapshot\":2,\"id\":2,\"customer\":null,\"amount\":null,\"qty\":0,\"day\":null}", json.StdoutLines[0]);

        // earliest: the earliest snapshot whole, then the changes after it.
        var earliest = await OkAsync("stream", Orders, "--from", "earliest", "--timeout", "0", "--format", "csv");
        Assert.Equal(6, earliest.StdoutLines.Length);
        Assert.Equal(4, (await OkAsync("stream", Orders, "--from", "earliest", "--max-snapshots", "1", "--format", "csv")).StdoutLines.Length);
        Assert.Single((await OkAsync("stream", Orders, "--timeout", "0", "--format", "csv")).StdoutLines); // latest: the header, nothing new

        Assert.Contains("Invalid start 'soon'", (await FailAsync("stream", Orders, "--from", "soon")).Stderr);
        Assert.Contains("snapshot:N needs a snapshot id of 1 or more", (await FailAsync("stream", Orders, "--from", "snapshot:0")).Stderr);
    }

    [Fact]
    public async Task A_consumer_resumes_and_can_be_listed_and_dropped()
    {
        await CreateSeededOrdersAsync();
        var first = await OkAsync("stream", Orders, "--from", "earliest", "--consumer", "audit", "--max-snapshots", "1", "--format", "csv");
        Assert.Equal(4, first.StdoutLines.Length); // header + 3 rows of snapshot 1
        await OkWithInputAsync("id,customer,amount,qty,day\n4,dan,1.00,1,\n", "write", Orders);
        var next = await OkAsync("stream", Orders, "--consumer", "audit", "--timeout", "0", "--format", "csv");
        Assert.Equal("_op,_snapshot,id,customer,amount,qty,day\n+I,2,4,dan,1.00,1,\n", next.Stdout);

        Assert.Equal("consumer,next_snapshot\naudit,3\n", (await OkAsync("consumer", "list", Orders, "--format", "csv")).Stdout);
        // The consumer holds off expiration of what it has not read.
        await OkWithInputAsync("id,customer,amount,qty,day\n5,eve,1.00,1,\n", "write", Orders);
        await OkAsync("expire", Orders, "--retain-last", "1");
        Assert.Equal("+I,3,5,eve,1.00,1,\n", (await OkAsync("stream", Orders, "--consumer", "audit", "--timeout", "0", "--format", "csv")).StdoutLines[1] + "\n");
        Assert.Equal("Dropped consumer 'audit' of shop.orders.\n", (await OkAsync("consumer", "drop", Orders, "audit")).Stdout);
        Assert.Contains("Consumer 'audit' does not exist", (await FailAsync("consumer", "drop", Orders, "audit")).Stderr);
    }
}
