using TableStore.Cli.Output;

namespace TableStore.Cli.Tests;

public sealed class RowFormatterTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("cr\rhere", "\"cr\rhere\"")]
    [InlineData(" lead", "\" lead\"")]
    [InlineData("trail ", "\"trail \"")]
    [InlineData("#comment", "\"#comment\"")]
    [InlineData("mid#hash", "mid#hash")]
    [InlineData("in ner", "in ner")]
    public void Csv_fields_are_quoted_only_when_needed(string text, string expected)
    {
        var w = new StringWriter { NewLine = "\n" };
        var f = RowFormatter.Create("csv", w, [new(text)]);
        f.Begin();
        f.Write([text]);
        f.End();
        Assert.Equal($"{expected}\n{expected}\n", w.ToString()); // the header, then the row
    }

    [Fact]
    public void Csv_writes_values_invariantly()
    {
        var w = new StringWriter { NewLine = "\n" };
        var f = RowFormatter.Create("csv", w, [new("a"), new("b"), new("c"), new("d"), new("e")]);
        f.Begin();
        f.Write([1.5d, 2.25m, null, true, new DateOnly(2024, 5, 1)]);
        f.Write([new byte[] { 1, 2, 3 }, -0.5f, "x", false, new DateTime(2024, 5, 1, 10, 0, 0, 500, DateTimeKind.Utc)]);
        f.End();
        Assert.Equal("a,b,c,d,e\n1.5,2.25,,true,2024-05-01\nAQID,-0.5,x,false,2024-05-01 10:00:00.5\n", w.ToString());
        Assert.Equal(2, f.RowCount);
    }

    [Fact]
    public void Jsonl_keeps_text_readable_and_decimals_exact()
    {
        var w = new StringWriter { NewLine = "\n" };
        var f = RowFormatter.Create("jsonl", w, [new("op"), new("name"), new("amount"), new("n")]);
        f.Write(["+I", "Zoë <b>\"q\"", 0.10m, null]);
        f.End();
        Assert.Equal("{\"op\":\"+I\",\"name\":\"Zoë <b>\\\"q\\\"\",\"amount\":\"0.10\",\"n\":null}\n", w.ToString());
    }

    [Fact]
    public void Grid_right_aligns_numbers_and_escapes_control_characters()
    {
        var w = new StringWriter { NewLine = "\n" };
        var f = RowFormatter.Create("table", w, [new("n", AlignRight: true), new("text")]);
        f.Write([5L, "a\tb"]);
        f.Write([12345L, null]);
        f.End();
        Assert.Equal("    n | text\n------+-----\n    5 | a\\tb\n12345 | NULL\n", w.ToString());
    }
}
