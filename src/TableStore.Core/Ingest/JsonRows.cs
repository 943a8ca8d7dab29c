using System.Text.Json;
using TableStore.Core.Data;
using TableStore.Core.Schema;

namespace TableStore.Core.Ingest;

/// <summary>One JSON object as a row's values, by column name: shared by JSON Lines files and change messages.</summary>
internal static class JsonRows
{
    /// <summary>Converts a field's JSON value to the column's type; the default is <see cref="Values.FromJson"/>.</summary>
    public delegate object? FieldConverter(JsonElement value, DataField field);

    /// <summary>
    /// The values of <paramref name="obj"/>'s fields in column order (absent fields are null) and its <c>_op</c> field,
    /// if any. Errors start with <paramref name="where"/> and name the field.
    /// </summary>
    public static object?[] Read(JsonElement obj, TableSchema schema, string where, out RowKind? op, FieldConverter? convert = null)
    {
        var values = new object?[schema.Fields.Length];
        op = null;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in obj.EnumerateObject())
        {
            if (!seen.Add(p.Name))
                throw new InvalidInputException($"{where}: field '{p.Name}' appears twice in the object.");
            if (string.Equals(p.Name, SystemColumns.Op, StringComparison.OrdinalIgnoreCase))
            {
                if (p.Value.ValueKind != JsonValueKind.String || !RowKindExtensions.TryParse(p.Value.GetString()!, out var kind))
                    throw new InvalidInputException($"{where}, field {SystemColumns.Op}: invalid row kind {p.Value.GetRawText()}, expected \"+I\", \"-U\", \"+U\" or \"-D\".");
                op = kind;
                continue;
            }
            int idx = schema.FieldIndex(p.Name);
            if (idx < 0) throw new InvalidInputException($"{where}: unknown column '{p.Name}'. Columns are: {string.Join(", ", schema.Fields.Select(f => f.Name))} (and optional {SystemColumns.Op}).");
            var field = schema.Fields[idx];
            try { values[idx] = convert is null ? Values.FromJson(p.Value, field.Type) : convert(p.Value, field); }
            catch (InvalidInputException e) { throw new InvalidInputException($"{where}, field {p.Name}: {e.Message}"); }
        }
        return values;
    }
}
