using TableStore.Core.Data;

namespace TableStore.Cli.Output;

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
