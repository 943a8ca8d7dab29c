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
    private char[] _chars = new char[1024];

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
        // Decoded into a reused buffer: a string per line would be garbage for every row of a large scan.
        var bytes = _buffer.WrittenSpan;
        if (_chars.Length < Encoding.UTF8.GetMaxCharCount(bytes.Length)) _chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length) * 2];
        int n = Encoding.UTF8.GetChars(bytes, _chars);
        Output.Write(_chars, 0, n);
        Output.WriteLine();
    }
}
