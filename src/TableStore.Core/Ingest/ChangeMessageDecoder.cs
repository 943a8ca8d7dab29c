using System.Text.Json;
using TableStore.Core.Data;
using TableStore.Core.Schema;
using TableStore.Core.Table;

namespace TableStore.Core.Ingest;

/// <summary>
/// Turns one message of a change log (a Kafka record's value) into rows of a table, typed and validated against
/// its schema. A message gives its rows whole or not at all: an error (<see cref="InvalidInputException"/>, saying
/// what is wrong; the caller adds where, e.g. topic, partition and offset) adds nothing.
/// </summary>
public abstract class ChangeMessageDecoder
{
    public const string DebeziumJson = "debezium-json";
    public const string JsonLines = "jsonl";
    public static readonly IReadOnlyList<string> Formats = [DebeziumJson, JsonLines];

    private readonly RowValidator _validator;
    private readonly List<ChangeRow> _scratch = [];

    protected ChangeMessageDecoder(TableSchema schema)
    {
        Schema = schema;
        _validator = new RowValidator(schema);
    }

    protected TableSchema Schema { get; }

    public static ChangeMessageDecoder Create(string format, TableSchema schema) => format switch
    {
        DebeziumJson => new DebeziumJsonDecoder(schema),
        JsonLines => new JsonLinesMessageDecoder(schema),
        _ => throw new InvalidInputException($"Unknown change message format '{format}'; supported: {string.Join(", ", Formats)}."),
    };

    /// <summary>
    /// Appends the message's rows to <paramref name="rows"/>; false for a tombstone (a message without a value,
    /// which carries no change: Kafka compaction's delete marker), which adds nothing.
    /// </summary>
    public bool Decode(ReadOnlyMemory<byte> value, List<ChangeRow> rows)
    {
        if (value.IsEmpty) return false;
        _scratch.Clear();
        JsonDocument doc;
        try { doc = JsonDocument.Parse(value); }
        catch (JsonException e)
        {
            throw new InvalidInputException($"malformed JSON at line {(e.LineNumber ?? 0) + 1}, column {(e.BytePositionInLine ?? 0) + 1}: {e.Message}");
        }
        using (doc)
        {
            try
            {
                if (!DecodeDocument(doc.RootElement, _scratch)) return false;
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException or ArgumentException)
            {
                // A JSON value of an unexpected kind where the format has a fixed shape (a schema's "field" that is a
                // number, a string with a lone surrogate): the event is malformed, not the ingestion broken.
                throw new InvalidInputException($"unreadable event: {e.Message}");
            }
        }
        rows.AddRange(_scratch);
        return true;
    }

    /// <summary>Adds the rows of one parsed message; false for a tombstone.</summary>
    protected abstract bool DecodeDocument(JsonElement root, List<ChangeRow> rows);

    protected ChangeRow Row(RowKind kind, object?[] values, string what)
    {
        try { return new ChangeRow(kind, _validator.Validate(kind, values)); }
        catch (InvalidInputException e) { throw new InvalidInputException($"{what}: {e.Message}"); }
    }
}
