using System.Text;
using TableStore.Core.Data;
using TableStore.Core.Schema;

namespace TableStore.Core.Lookup;

/// <summary>Primary keys as callers give them: typed from values in primary-key order, or parsed from <c>col=value</c> text.</summary>
public static class LookupKeys
{
    /// <summary>Types key values given in primary-key order (e.g. an int for a BIGINT column), with errors naming the column.</summary>
    public static object?[] TypeKey(TableSchema schema, IReadOnlyList<object?> values)
    {
        RequireKey(schema);
        if (values.Count != schema.KeyIndices.Length)
            throw new InvalidInputException($"The key has {values.Count} value{(values.Count == 1 ? "" : "s")}; the primary key of this table is ({string.Join(", ", schema.PrimaryKeys)}).");
        var typed = new object?[values.Count];
        for (int i = 0; i < typed.Length; i++)
        {
            var field = schema.Fields[schema.KeyIndices[i]];
            if (values[i] is not { } v) throw new InvalidInputException($"Key column '{field.Name}' cannot be null.");
            try { typed[i] = Values.Coerce(v, field.Type); }
            catch (InvalidInputException e) { throw new InvalidInputException($"Key column '{field.Name}': {e.Message}"); }
        }
        return typed;
    }

    /// <summary>
    /// Parses <c>col=value[,col=value]</c>: every primary-key column exactly once (names case-insensitive), values
    /// in the column's text form; a value with commas is quoted, <c>note='a,b'</c>, with <c>''</c> for a quote.
    /// </summary>
    public static object?[] ParseKey(TableSchema schema, string text)
    {
        RequireKey(schema);
        var given = new Dictionary<int, object?>();
        foreach (var (name, value) in SplitPairs(text))
        {
            int field = schema.FieldIndex(name);
            if (field < 0) throw new InvalidInputException($"Invalid key '{text}': '{name}' is not a column (the primary key is {string.Join(", ", schema.PrimaryKeys)}).");
            int k = schema.KeyIndices.IndexOf(field);
            if (k < 0) throw new InvalidInputException($"Invalid key '{text}': '{schema.Fields[field].Name}' is not a primary-key column (the primary key is {string.Join(", ", schema.PrimaryKeys)}).");
            if (given.ContainsKey(k)) throw new InvalidInputException($"Invalid key '{text}': '{schema.Fields[field].Name}' is given twice.");
            try { given[k] = Values.Parse(value, schema.Fields[field].Type); }
            catch (InvalidInputException e) { throw new InvalidInputException($"Invalid key '{text}': column '{schema.Fields[field].Name}': {e.Message}"); }
        }
        var missing = schema.PrimaryKeys.Where((_, k) => !given.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            throw new InvalidInputException($"Invalid key '{text}': missing primary-key column{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)}; give \"{string.Join(",", schema.PrimaryKeys.Select(k => k + "=..."))}\".");
        return Enumerable.Range(0, schema.KeyIndices.Length).Select(k => given[k]).ToArray();
    }

    private static void RequireKey(TableSchema schema)
    {
        if (schema.Kind != TableKind.PrimaryKey) throw new InvalidInputException("The table has no primary key; point lookups need one.");
    }

    private static IEnumerable<(string Name, string Value)> SplitPairs(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new InvalidInputException("The key is empty: give \"col=value[,col=value]\".");
        int i = 0;
        while (i <= text.Length)
        {
            int eq = text.IndexOf('=', i);
            if (eq < 0) throw new InvalidInputException($"Invalid key '{text}': expected col=value, found '{text[i..].Trim()}'.");
            var name = text[i..eq].Trim();
            if (name.Length == 0) throw new InvalidInputException($"Invalid key '{text}': a value has no column name.");
            i = eq + 1;
            var value = new StringBuilder();
            while (i < text.Length && text[i] == ' ') i++;
            if (i < text.Length && text[i] == '\'')
            {
                i++;
                while (true)
                {
                    if (i >= text.Length) throw new InvalidInputException($"Invalid key '{text}': the quoted value of '{name}' is not closed.");
                    if (text[i] == '\'')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '\'') { value.Append('\''); i += 2; continue; }
                        i++;
                        break;
                    }
                    value.Append(text[i++]);
                }
                while (i < text.Length && text[i] == ' ') i++;
                if (i < text.Length && text[i] != ',') throw new InvalidInputException($"Invalid key '{text}': unexpected text after the quoted value of '{name}'.");
            }
            else
            {
                int comma = text.IndexOf(',', i);
                value.Append((comma < 0 ? text[i..] : text[i..comma]).Trim());
                i = comma < 0 ? text.Length : comma;
            }
            yield return (name, value.ToString());
            if (i >= text.Length) yield break;
            i++; // the comma
        }
    }
}
