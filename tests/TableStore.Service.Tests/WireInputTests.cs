using System.Buffers.Binary;
using TableStore.Abstractions;
using TableStore.Core;
using TableStore.Core.Commit;
using TableStore.Core.Data;
using TableStore.Core.Serialization;
using TableStore.Service.Tests.Support;

namespace TableStore.Service.Tests;

/// <summary>
/// Requests no well-behaved client sends, straight to the table grain: corrupt or truncated batch bytes, absurd
/// counts and widths, a batch of another format version, values of the wrong type, no rows. Each is refused with a
/// clear error that is not retryable, nothing of it is written, and the silo keeps serving.
/// </summary>
[Collection(ThreeSiloCollection.Name)]
public sealed class WireInputTests(ThreeSiloCluster fixture)
{
    /// <summary>A batch header (magic, format version, row count little-endian), as <see cref="RowBatchCodec"/> writes it.</summary>
    private static byte[] Header(byte version, int count)
    {
        var header = new byte[6];
        header[0] = (byte)'R';
        header[1] = version;
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(2), count);
        return header;
    }

    private static byte[] Int32(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return bytes;
    }

    public static TheoryData<string, string> BadBatches() => new()
    {
        { "garbage", "malformed" },
        { "empty", "malformed" },
        { "absurd-count", "row count" },
        { "absurd-width", "width" },
        { "truncated", "malformed" },
        { "other-version", "format version 9" },
        { "wrong-type", "Row 1" },
        { "bad-kind", "invalid row kind" },
    };

    private static byte[]? Batch(string name)
    {
        var good = RowBatchCodec.Encode([(byte)RowKind.Insert], [new object?[] { 1L, "a" }]);
        return name switch
        {
            "garbage" => [.. Enumerable.Range(0, 64).Select(i => (byte)(i * 37))],
            "empty" => [],
            "absurd-count" => Header(1, int.MaxValue),
            "absurd-width" => [.. Header(1, 1), (byte)RowKind.Insert, .. Int32(int.MaxValue)],
            "truncated" => good[..^3],
            "other-version" => [(byte)'R', 9, .. good[2..]],
            "wrong-type" => RowBatchCodec.Encode([(byte)RowKind.Insert], [new object?[] { "not a number", "a" }]),
            "bad-kind" => RowBatchCodec.Encode([7], [new object?[] { 1L, "a" }]),
            _ => null,
        };
    }

    [Theory]
    [MemberData(nameof(BadBatches))]
    public async Task A_bad_batch_is_refused_clearly_nothing_is_written_and_the_silo_keeps_serving(string batch, string expected)
    {
        var client = fixture.Client;
        var table = Specs.NewTable("wire");
        await client.CreateTableAsync(table, Specs.Table("k BIGINT NOT NULL, v STRING", ["k"], [], 2));
        var grain = fixture.Cluster.Client.GetGrain<ITableGrain>(table);

        var e = await Assert.ThrowsAsync<InvalidInputException>(() => grain.WriteAsync(new WriteRequest(WriteIds.New(), Batch(batch)!)));
        Assert.Contains(expected, e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(e.IsRetryable);

        // The silo is fine: a good write right after commits, and it is all the table holds.
        var ok = await client.WriteAsync(table, [new ChangeRow(RowKind.Insert, [2L, "b"])]);
        Assert.NotNull(ok);
        var scan = await client.ScanAsync(table, new ScanOptions());
        var rows = new List<object?[]>();
        await foreach (var r in scan.Rows) rows.Add(r);
        Assert.Equal([[2L, "b"]], rows);
    }

    [Fact]
    public async Task A_write_without_rows_or_with_a_bad_write_id_is_refused()
    {
        var table = Specs.NewTable("wire");
        await fixture.Client.CreateTableAsync(table, Specs.Table("k BIGINT NOT NULL", ["k"], [], 1));
        var grain = fixture.Cluster.Client.GetGrain<ITableGrain>(table);
        var noRows = await Assert.ThrowsAsync<InvalidInputException>(() => grain.WriteAsync(new WriteRequest(WriteIds.New(), null!)));
        Assert.Contains("has no rows", noRows.Message);
        var badId = await Assert.ThrowsAsync<InvalidInputException>(() => grain.WriteAsync(new WriteRequest("../../etc", [])));
        Assert.Contains("Invalid write id", badId.Message);
    }
}
