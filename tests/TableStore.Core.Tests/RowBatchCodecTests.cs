using TableStore.Core.Serialization;

namespace TableStore.Core.Tests;

public sealed class RowBatchCodecTests
{
    [Fact]
    public void Every_supported_value_round_trips_with_its_exact_type()
    {
        object?[] row =
        [
            null, true, false, 42, -7L, 1.5f, -2.25d, 123.4500m, "héllo, \"wörld\" 🚀", new byte[] { 0, 1, 255 },
            new DateOnly(2024, 2, 29), new DateTime(2024, 5, 1, 12, 30, 0, 250, DateTimeKind.Utc), new DateTime(2024, 5, 1, 0, 0, 0, DateTimeKind.Unspecified),
            new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.FromHours(2)), (short)-3, (byte)200, (sbyte)-100, "", double.NaN, long.MinValue,
        ];
        var bytes = RowBatchCodec.Encode([2, 0], [row, []]);
        var (kinds, rows) = RowBatchCodec.Decode(bytes);
        Assert.Equal(new byte[] { 2, 0 }, kinds);
        Assert.Empty(rows[1]);
        Assert.Equal(row.Length, rows[0].Length);
        for (int i = 0; i < row.Length; i++)
        {
            Assert.Equal(row[i]?.GetType(), rows[0][i]?.GetType());
            Assert.Equal(row[i], rows[0][i]);
        }
        Assert.Equal(DateTimeKind.Utc, ((DateTime)rows[0][11]!).Kind);
        Assert.Equal(4, decimal.GetBits((decimal)rows[0][7]!)[3] >> 16 & 0xFF); // the scale survives: 123.4500
    }

    [Fact]
    public void Unsupported_values_and_broken_strings_are_named_by_row_and_column()
    {
        var e = Assert.Throws<InvalidInputException>(() => RowBatchCodec.Encode([0, 0], [[1L], [2L, Guid.Empty]], ["id", "ref"]));
        Assert.Equal("Row 2, column 'ref': a value of type Guid cannot be written; use bool, int, long, float, double, decimal, string, byte[], DateOnly, DateTime or DateTimeOffset.", e.Message);
        e = Assert.Throws<InvalidInputException>(() => RowBatchCodec.Encode([0], [["ok", "bad \ud800 surrogate"]]));
        Assert.Contains("Row 1, value 2: the string is not valid Unicode", e.Message);
    }

    [Fact]
    public void Malformed_input_is_rejected_not_crashed_on()
    {
        var good = RowBatchCodec.Encode([0], [[1L, "abc", new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc)]]);
        for (int cut = 0; cut < good.Length; cut++)
            Assert.Throws<InvalidInputException>(() => RowBatchCodec.Decode(good.AsSpan(0, cut)));
        var random = new Random(5);
        for (int i = 0; i < 2000; i++)
        {
            var mutated = (byte[])good.Clone();
            mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            try { RowBatchCodec.Decode(mutated); }
            catch (InvalidInputException) { }
        }
    }
}
