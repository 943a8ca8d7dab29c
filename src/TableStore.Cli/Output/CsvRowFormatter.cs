using TableStore.Core.Data;

namespace TableStore.Cli.Output;

/// <summary>RFC 4180 style CSV with a header row; nulls are empty fields. Fields go straight to the output, unallocated.</summary>
internal sealed class CsvRowFormatter(TextWriter output, IReadOnlyList<OutputColumn> columns) : RowFormatter(output, columns)
{
    private readonly char[] _scratch = new char[64];

    public override void Begin()
    {
        for (int i = 0; i < Columns.Count; i++)
        {
            if (i > 0) Output.Write(',');
            WriteField(Output, Columns[i].Name);
        }
        Output.WriteLine();
    }

    protected override void WriteRow(object?[] row)
    {
        for (int i = 0; i < row.Length; i++)
        {
            if (i > 0) Output.Write(',');
            switch (row[i])
            {
                case null: break;
                case string s: WriteField(Output, s); break;
                case { } value when Values.TryFormat(value, _scratch, out int n): WriteField(Output, _scratch.AsSpan(0, n)); break;
                case { } value: WriteField(Output, Values.Format(value)); break;
            }
        }
        Output.WriteLine();
    }

    /// <summary>Writes a field, quoted if a CSV reader would otherwise split, trim or take it for a comment; doubles quotes.</summary>
    private static void WriteField(TextWriter output, ReadOnlySpan<char> text)
    {
        if (!NeedsQuotes(text))
        {
            output.Write(text);
            return;
        }
        output.Write('"');
        for (int q; (q = text.IndexOf('"')) >= 0; text = text[(q + 1)..])
        {
            output.Write(text[..(q + 1)]);
            output.Write('"');
        }
        output.Write(text);
        output.Write('"');
    }

    private static bool NeedsQuotes(ReadOnlySpan<char> text) =>
        text.Length > 0 && (text.IndexOfAny(",\"\r\n") >= 0 || text[0] == ' ' || text[^1] == ' ' || text[0] == '#');
}
