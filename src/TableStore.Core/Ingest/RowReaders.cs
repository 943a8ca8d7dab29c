using System.Text.Json;
using Sylvan.Data.Csv;
using TableStore.Core.Data;
using TableStore.Core.Schema;
using TableStore.Core.Table;

namespace TableStore.Core.Ingest;

/// <summary>
/// Reads changelog rows from CSV (header row required) or JSON Lines, typed and validated against a schema.
/// An optional <c>_op</c> column/field holds +I, -U, +U or -D (default +I). Empty CSV fields and JSON nulls
/// are null; blank lines are skipped. Every error names the source, line and column; nothing is returned past the first error, so a
/// caller that commits only after reading everything never commits part of a bad input.
/// </summary>
public static class RowReaders
{
    public static IEnumerable<ChangeRow> ReadCsv(TextReader input, TableSchema schema, string source)
    {
        var validator = new RowValidator(schema);
        SkipByteOrderMark(input);
        if (input.Peek() < 0) yield break; // empty input: no header, no rows
        CsvDataReader csv;
        try
        {
            csv = CsvDataReader.Create(input, new CsvDataReaderOptions { HasHeaders = true, Delimiter = ',', Comment = '\0', OwnsReader = false });
        }
        catch (CsvFormatException e)
        {
            throw new InvalidInputException($"{source}: line 1: the CSV input has no header row ({e.Message}).");
        }
        using (csv)
        {
            int width = csv.FieldCount;
            var map = new int[width];
            int opColumn = -1;
            var seen = new HashSet<int>();
            for (int c = 0; c < width; c++)
            {
                var name = csv.GetName(c).Trim();
                if (string.Equals(name, SystemColumns.Op, StringComparison.OrdinalIgnoreCase)) { opColumn = c; map[c] = -1; continue; }
                int idx = schema.FieldIndex(name);
                if (idx < 0) throw new InvalidInputException($"{source}: line 1, column {c + 1}: unknown column '{name}'. Columns are: {string.Join(", ", schema.Fields.Select(f => f.Name))} (and optional {SystemColumns.Op}).");
                if (!seen.Add(idx)) throw new InvalidInputException($"{source}: line 1, column {c + 1}: column '{name}' appears twice in the header.");
                map[c] = idx;
            }
            var fast = new bool[width];
            for (int c = 0; c < width; c++)
                fast[c] = map[c] >= 0 && schema.Fields[map[c]].Type.Kind is DataTypeKind.Int or DataTypeKind.BigInt or DataTypeKind.Float or DataTypeKind.Double;
            int line = 2;
            while (true)
            {
                bool more;
                try { more = csv.Read(); }
                catch (CsvFormatException e) { throw new InvalidInputException($"{source}: line {line}: malformed CSV: {e.Message}"); }
                if (!more) yield break;
                if (csv.RowFieldCount == 1 && csv.GetString(0).Length == 0)
                {
                    line += Math.Max(1, csv.GetRawRecordSpan().Count('\n'));
                    continue; // a blank line (e.g. a trailing newline too many)
                }
                if (csv.RowFieldCount != width)
                    throw new InvalidInputException($"{source}: line {line}: expected {width} fields as in the header, found {csv.RowFieldCount}{(csv.RowFieldCount < width ? " (truncated line?)" : "")}.");
                var values = new object?[schema.Fields.Length];
                var kind = RowKind.Insert;
                for (int c = 0; c < width; c++)
                {
                    // Numbers parse from the reader's buffer: no string per field for the commonest columns.
                    if (c != opColumn && fast[c] && Values.TryParseNumber(csv.GetFieldSpan(c), schema.Fields[map[c]].Type, out var number))
                    {
                        values[map[c]] = number;
                        continue;
                    }
                    var text = csv.GetString(c);
                    if (c == opColumn)
                    {
                        if (!RowKindExtensions.TryParse(text, out kind))
                            throw new InvalidInputException($"{source}: line {line}, column {c + 1} ({SystemColumns.Op}): invalid row kind '{text}', expected +I, -U, +U or -D.");
                        continue;
                    }
                    if (text.Length == 0) continue;
                    var field = schema.Fields[map[c]];
                    try { values[map[c]] = Values.Parse(text, field.Type); }
                    catch (InvalidInputException e) { throw new InvalidInputException($"{source}: line {line}, column {c + 1} ({field.Name}): {e.Message}"); }
                }
                yield return Validate(validator, kind, values, source, line);
                line += Math.Max(1, csv.GetRawRecordSpan().Count('\n'));
            }
        }
    }

    public static IEnumerable<ChangeRow> ReadJsonLines(TextReader input, TableSchema schema, string source)
    {
        var validator = new RowValidator(schema);
        SkipByteOrderMark(input);
        int line = 0;
        string? text;
        while ((text = input.ReadLine()) is not null)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            JsonDocument doc;
            try { doc = JsonDocument.Parse(text); }
            catch (JsonException e)
            {
                throw new InvalidInputException($"{source}: line {line}, column {(e.BytePositionInLine ?? 0) + 1}: malformed JSON{(input.Peek() < 0 ? " (truncated last line?)" : "")}: {e.Message}");
            }
            using (doc)
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                    throw new InvalidInputException($"{source}: line {line}: expected a JSON object per line, found {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}.");
                var values = JsonRows.Read(doc.RootElement, schema, $"{source}: line {line}", out var op);
                yield return Validate(validator, op ?? RowKind.Insert, values, source, line);
            }
        }
    }

    /// <summary>Piped input may start with a byte-order mark that no decoder consumed; it is not data.</summary>
    private static void SkipByteOrderMark(TextReader input)
    {
        if (input.Peek() == '\uFEFF') input.Read();
    }

    private static ChangeRow Validate(RowValidator validator, RowKind kind, object?[] values, string source, int line)
    {
        try { return new ChangeRow(kind, validator.Validate(kind, values)); }
        catch (InvalidInputException e) { throw new InvalidInputException($"{source}: line {line}: {e.Message}"); }
    }
}
