using System.Text.Json;
using TableStore.Core.Data;
using TableStore.Core.Schema;

namespace TableStore.Core.Ingest;

/// <summary>
/// A message holding one JSON object, as one line of <c>tablestore write --format jsonl</c>: fields by column name
/// and an optional <c>_op</c> (+I, -U, +U, -D; default +I). The JSON literal <c>null</c> is a tombstone.
/// </summary>
internal sealed class JsonLinesMessageDecoder(TableSchema schema) : ChangeMessageDecoder(schema)
{
    protected override bool DecodeDocument(JsonElement root, List<ChangeRow> rows)
    {
        if (root.ValueKind == JsonValueKind.Null) return false;
        if (root.ValueKind != JsonValueKind.Object)
            throw new InvalidInputException($"expected a JSON object, found {root.ValueKind.ToString().ToLowerInvariant()}.");
        var values = JsonRows.Read(root, Schema, "the object", out var op);
        rows.Add(Row(op ?? RowKind.Insert, values, "the object"));
        return true;
    }
}
