using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using TableStore.Core.Data;

namespace TableStore.Cli.Output;

/// <summary>One JSON object per line, keyed by column name.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The JSON writer only wraps an in-memory buffer: nothing to release.")]
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
