using System.CommandLine;
using System.Globalization;
using System.Text;
using TableStore.Core;
using TableStore.Core.Data;
using TableStore.Core.Ingest;
using TableStore.Core.Table;

namespace TableStore.Cli.Commands;

/// <summary>
/// <c>tablestore write &lt;db&gt;.&lt;table&gt; [--file F] [--format csv|jsonl]</c>: one invocation is one atomic
/// commit. Every row is read and validated before anything is written, so bad input never commits part of itself.
/// Prints the committed snapshot id on stdout and a summary on stderr.
/// </summary>
internal static class WriteCommand
{
    public const string StdinName = "stdin";

    public static Command Build(CliContext context)
    {
        var table = CommonOptions.TableArgument();
        var file = new Option<string?>("--file")
        {
            Description = "The input file ('-' or none: standard input)",
            HelpName = "FILE",
        };
        var format = new Option<string?>("--format")
        {
            Description = "Input format: csv (header row) or jsonl (default: jsonl for .jsonl/.json files, else csv)",
        };
        format.AcceptOnlyFromAmong("csv", "jsonl");
        var command = new Command("write", "Write rows from CSV or JSON Lines as one commit; an optional _op column holds +I, -U, +U or -D")
        {
            table, file, format,
        };
        command.SetAction(async (pr, ct) =>
        {
            var t = await context.OpenTableAsync(pr, pr.GetValue(table)!, ct).ConfigureAwait(false);
            var path = pr.GetValue(file);
            bool fromStdin = path is null or "-";
            var inputFormat = pr.GetValue(format) ?? (fromStdin ? "csv" : InferFormat(path!));

            List<ChangeRow> rows;
            if (fromStdin) rows = ReadAll(context.Stdin, inputFormat, t, StdinName);
            else
            {
                using var reader = OpenFile(path!);
                rows = ReadAll(reader, inputFormat, t, path!);
            }

            var err = pr.Err();
            if (rows.Count == 0)
            {
                err.WriteLine($"No rows in {(fromStdin ? StdinName : path)}: nothing committed to {t.Identifier.FullName}.");
                return 0;
            }
            var result = await t.WriteAndCommitAsync(rows, ct: ct).ConfigureAwait(false);
            if (result is null)
            {
                err.WriteLine($"The {rows.Count} rows produced no change: nothing committed to {t.Identifier.FullName}.");
                return 0;
            }
            pr.Out().WriteLine(result.SnapshotId.ToString(CultureInfo.InvariantCulture));
            err.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Committed snapshot {result.SnapshotId} of {t.Identifier.FullName}: {rows.Count} row{(rows.Count == 1 ? "" : "s")}"));
            return 0;
        });
        return command;
    }

    internal static string InferFormat(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".jsonl" or ".json" or ".ndjson" ? "jsonl" : "csv";

    private static List<ChangeRow> ReadAll(TextReader input, string format, FileStoreTable table, string source)
    {
        // Empty input is "no rows", not "a CSV without a header": the CSV reader would reject it.
        int first = input.Read();
        // A byte-order mark that the reader did not consume (piped input) is not part of the first column name.
        if (first == '\uFEFF') first = input.Read();
        if (first < 0) return [];
        input = new PrefixedReader((char)first, input);
        return (format == "jsonl"
            ? RowReaders.ReadJsonLines(input, table.Schema, source)
            : RowReaders.ReadCsv(input, table.Schema, source)).ToList();
    }

    private static StreamReader OpenFile(string path)
    {
        try { return new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InvalidInputException($"Input file '{path}' does not exist.");
        }
    }
}

/// <summary>A reader that gives one already-read character, then the rest of another reader (which it does not own).</summary>
internal sealed class PrefixedReader(char first, TextReader rest) : TextReader
{
    private bool _firstPending = true;

    public override int Peek() => _firstPending ? first : rest.Peek();

    public override int Read()
    {
        if (!_firstPending) return rest.Read();
        _firstPending = false;
        return first;
    }

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        if (buffer.IsEmpty) return 0;
        if (!_firstPending) return rest.Read(buffer);
        _firstPending = false;
        buffer[0] = first;
        return 1;
    }

    public override string? ReadLine()
    {
        if (!_firstPending) return rest.ReadLine();
        _firstPending = false;
        if (first == '\n') return "";
        if (first == '\r')
        {
            if (rest.Peek() == '\n') rest.Read();
            return "";
        }
        return first + rest.ReadLine();
    }
}
