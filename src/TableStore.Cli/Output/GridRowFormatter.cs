using System.Buffers;
using System.Text;
using TableStore.Core.Data;

namespace TableStore.Cli.Output;

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
