using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using TableStore.Core.Data;
using TableStore.Core.Schema;

namespace TableStore.Cli.Output;

/// <summary>An output column: its name and whether the grid right-aligns it (numbers).</summary>
internal sealed record OutputColumn(string Name, bool AlignRight = false)
{
    public static OutputColumn From(DataField field) => new(field.Name, field.Type.Kind is
        DataTypeKind.Int or DataTypeKind.BigInt or DataTypeKind.Float or DataTypeKind.Double or DataTypeKind.Decimal);
}

/// <summary>
/// Writes rows in one of the output formats. Values are the engine's CLR values and are rendered with
/// <see cref="Values.Format"/> (text) or <see cref="Values.WriteJson"/> (JSON), so output is culture-invariant.
/// CSV and JSON Lines stream each row as it comes; the grid buffers rows to size its columns.
/// </summary>
internal abstract class RowFormatter
{
    public const string Table = "table";
    public const string Csv = "csv";
    public const string JsonLines = "jsonl";
    public static readonly string[] Formats = [Table, Csv, JsonLines];

    protected RowFormatter(TextWriter output, IReadOnlyList<OutputColumn> columns)
    {
        Output = output;
        Columns = columns;
    }

    protected TextWriter Output { get; }
    protected IReadOnlyList<OutputColumn> Columns { get; }
    public long RowCount { get; private set; }

    public static RowFormatter Create(string format, TextWriter output, IReadOnlyList<OutputColumn> columns) => format switch
    {
        Csv => new CsvRowFormatter(output, columns),
        JsonLines => new JsonLinesRowFormatter(output, columns),
        Table => new GridRowFormatter(output, columns),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown output format."),
    };

    /// <summary>Writes what comes before the rows (the CSV header); call once, before any row.</summary>
    public virtual void Begin() { }

    public void Write(object?[] row)
    {
        WriteRow(row);
        RowCount++;
    }

    protected abstract void WriteRow(object?[] row);

    /// <summary>Writes what comes after the rows (the whole grid) and flushes.</summary>
    public virtual void End() => Output.Flush();
}

/// <summary>RFC 4180 style CSV with a header row; nulls are empty fields.</summary>
internal sealed class CsvRowFormatter(TextWriter output, IReadOnlyList<OutputColumn> columns) : RowFormatter(output, columns)
{
    private readonly StringBuilder _line = new();

    public override void Begin()
    {
        _line.Clear();
        for (int i = 0; i < Columns.Count; i++)
        {
            if (i > 0) _line.Append(',');
            AppendField(_line, Columns[i].Name);
        }
        Output.WriteLine(_line.ToString());
    }

    protected override void WriteRow(object?[] row)
    {
        _line.Clear();
        for (int i = 0; i < row.Length; i++)
        {
            if (i > 0) _line.Append(',');
            if (row[i] is { } value) AppendField(_line, Values.Format(value));
        }
        Output.WriteLine(_line.ToString());
    }

    /// <summary>Quotes a field that a CSV reader would otherwise split, trim or take for a comment; doubles quotes.</summary>
    public static void AppendField(StringBuilder sb, string text)
    {
        if (!NeedsQuotes(text))
        {
            sb.Append(text);
            return;
        }
        sb.Append('"').Append(text.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }

    public static bool NeedsQuotes(string text) =>
        text.Length > 0 && (text.AsSpan().IndexOfAny(",\"\r\n") >= 0 || text[0] == ' ' || text[^1] == ' ' || text[0] == '#');
}

/// <summary>One JSON object per line, keyed by column name.</summary>
internal sealed class JsonLinesRowFormatter : RowFormatter
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Output is data for tools, not HTML: keep non-ASCII text and '+' (as in "+I") readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly ArrayBufferWriter<byte> _buffer = new();
    private readonly Utf8JsonWriter _json;

    public JsonLinesRowFormatter(TextWriter output, IReadOnlyList<OutputColumn> columns) : base(output, columns)
    {
        _json = new Utf8JsonWriter(_buffer, WriterOptions);
    }

    protected override void WriteRow(object?[] row)
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _json.WriteStartObject();
        for (int i = 0; i < row.Length; i++)
        {
            _json.WritePropertyName(Columns[i].Name);
            Values.WriteJson(_json, row[i]);
        }
        _json.WriteEndObject();
        _json.Flush();
        Output.WriteLine(Encoding.UTF8.GetString(_buffer.WrittenSpan));
    }
}

/// <summary>
/// An aligned grid for people: header, separator, one line per row, NULL for nulls. Control characters in
/// values are shown escaped so that every row stays on one line.
/// </summary>
internal sealed class GridRowFormatter(TextWriter output, IReadOnlyList<OutputColumn> columns) : RowFormatter(output, columns)
{
    public const string Null = "NULL";
    private const string ColumnSeparator = " | ";
    private readonly List<string[]> _rows = [];

    protected override void WriteRow(object?[] row)
    {
        var cells = new string[row.Length];
        for (int i = 0; i < row.Length; i++) cells[i] = row[i] is null ? Null : Printable(Values.Format(row[i]));
        _rows.Add(cells);
    }

    public override void End()
    {
        var widths = new int[Columns.Count];
        for (int c = 0; c < widths.Length; c++)
        {
            widths[c] = Columns[c].Name.Length;
            foreach (var r in _rows) widths[c] = Math.Max(widths[c], r[c].Length);
        }
        Output.WriteLine(Line(Columns.Select(c => c.Name).ToArray(), widths));
        Output.WriteLine(string.Join("-+-", widths.Select(w => new string('-', w))));
        foreach (var r in _rows) Output.WriteLine(Line(r, widths));
        base.End();
    }

    private string Line(string[] cells, int[] widths)
    {
        var sb = new StringBuilder();
        for (int c = 0; c < cells.Length; c++)
        {
            if (c > 0) sb.Append(ColumnSeparator);
            sb.Append(Columns[c].AlignRight ? cells[c].PadLeft(widths[c]) : cells[c].PadRight(widths[c]));
        }
        return sb.ToString().TrimEnd();
    }

    private static string Printable(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\0', '\u001f')) return text;
        var sb = new StringBuilder(text.Length + 8);
        foreach (var ch in text)
        {
            sb.Append(ch switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' => $"\\u{(int)ch:x4}",
                _ => ch.ToString(),
            });
        }
        return sb.ToString();
    }
}
