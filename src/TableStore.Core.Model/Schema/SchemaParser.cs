namespace TableStore.Core.Schema;

/// <summary>Parses a column list such as <c>id BIGINT NOT NULL, price DECIMAL(10,2), note STRING</c>.</summary>
public static class SchemaParser
{
    public static IReadOnlyList<DataField> ParseColumns(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new InvalidInputException("The schema is empty: give columns as \"<col> <TYPE> [NOT NULL], ...\".");
        var fields = new List<DataField>();
        int column = 1;
        foreach (var part in SplitTopLevel(text))
        {
            var item = part.Trim();
            if (item.Length == 0) throw new InvalidInputException($"Schema column {column} is empty (two commas in a row?).");
            int space = item.IndexOfAny([' ', '\t']);
            if (space < 0) throw new InvalidInputException($"Schema column {column} '{item}' has no type: expected \"<col> <TYPE> [NOT NULL]\".");
            var name = item[..space];
            try
            {
                TableSchema.ValidateColumnName(name);
                fields.Add(new DataField(fields.Count, name, DataType.Parse(item[(space + 1)..])));
            }
            catch (InvalidInputException e)
            {
                throw new InvalidInputException($"Schema column {column} '{item}': {e.Message}");
            }
            column++;
        }
        return fields;
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        int depth = 0, start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(': depth++; break;
                case ')': depth--; break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }
        yield return text[start..];
    }
}
