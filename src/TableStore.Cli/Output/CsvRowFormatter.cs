using System.Text;
using TableStore.Core.Data;

namespace TableStore.Cli.Output;

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
