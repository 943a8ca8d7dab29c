namespace TableStore.Core.Schema;

/// <summary>One change of a <c>table alter</c>; a list of them makes one new schema version, atomically.</summary>
public abstract record SchemaChange
{
    /// <summary>A new nullable column at the end (existing rows read null); it gets a never-used field id.</summary>
    public sealed record AddColumn(string Name, DataType Type) : SchemaChange;
    public sealed record DropColumn(string Name) : SchemaChange;
    public sealed record RenameColumn(string From, string To) : SchemaChange;
    /// <summary>INT→BIGINT, FLOAT→DOUBLE, DECIMAL(p,s)→DECIMAL(p',s') with p'−s' ≥ p−s and s' ≥ s.</summary>
    public sealed record WidenColumn(string Name, DataType Type) : SchemaChange;
    public sealed record SetOption(string Key, string Value) : SchemaChange;
    public sealed record RemoveOption(string Key) : SchemaChange;
    /// <summary>Only through a rescale, which rewrites the data for the new count (see <c>TableRescale</c>).</summary>
    public sealed record SetBucketCount(int Buckets) : SchemaChange;

    /// <summary>
    /// Applies the changes to <paramref name="current"/>, giving schema <c>current.Id + 1</c>. Old data files stay
    /// as they are: readers map their columns by field id, so a renamed column keeps its data, a dropped one
    /// disappears, an added one reads null and a widened one converts on read.
    /// </summary>
    public static TableSchema Apply(TableSchema current, IReadOnlyList<SchemaChange> changes, long timeMillis)
    {
        if (changes.Count == 0) throw new InvalidInputException("Nothing to alter: give at least one change.");
        var fields = current.Fields.ToList();
        var options = new Dictionary<string, string>(current.Options, StringComparer.Ordinal);
        var keys = current.PrimaryKeys.ToList();
        int highest = current.HighestFieldId;
        int buckets = current.BucketCount;
        int Find(string name)
        {
            int i = fields.FindIndex(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
            if (i < 0) throw new InvalidInputException($"Column '{name}' does not exist (columns: {string.Join(", ", fields.Select(f => f.Name))}).");
            return i;
        }
        bool IsPartition(string name) => current.PartitionKeys.Contains(name, StringComparer.OrdinalIgnoreCase);
        bool IsKey(string name) => keys.Contains(name, StringComparer.OrdinalIgnoreCase);

        foreach (var change in changes)
        {
            switch (change)
            {
                case AddColumn add:
                    TableSchema.ValidateColumnName(add.Name);
                    if (fields.Any(f => string.Equals(f.Name, add.Name, StringComparison.OrdinalIgnoreCase)))
                        throw new InvalidInputException($"Column '{add.Name}' already exists.");
                    if (!add.Type.Nullable)
                        throw new InvalidInputException($"Column '{add.Name}' cannot be added as NOT NULL: rows written before it have no value. Add it nullable.");
                    fields.Add(new DataField(++highest, add.Name, add.Type));
                    break;
                case DropColumn drop:
                {
                    int i = Find(drop.Name);
                    var name = fields[i].Name;
                    if (IsPartition(name)) throw new InvalidInputException($"Column '{name}' is a partition key and cannot be dropped: the table's files are laid out by it.");
                    if (IsKey(name)) throw new InvalidInputException($"Column '{name}' is part of the primary key ({string.Join(", ", keys)}) and cannot be dropped.");
                    if (fields.Count == 1) throw new InvalidInputException($"Column '{name}' is the table's only column and cannot be dropped.");
                    if (OptionsNaming(options, name) is { } option) throw new InvalidInputException($"Column '{name}' is used by table option '{option}'; change or remove that option first.");
                    fields.RemoveAt(i);
                    break;
                }
                case RenameColumn rename:
                {
                    int i = Find(rename.From);
                    var from = fields[i].Name;
                    if (IsPartition(from)) throw new InvalidInputException($"Column '{from}' is a partition key and cannot be renamed: partition folders are named after it.");
                    TableSchema.ValidateColumnName(rename.To);
                    if (fields.Any(f => f.Name != from && string.Equals(f.Name, rename.To, StringComparison.OrdinalIgnoreCase)))
                        throw new InvalidInputException($"Column '{rename.To}' already exists.");
                    fields[i] = fields[i] with { Name = rename.To };
                    int k = keys.FindIndex(x => string.Equals(x, from, StringComparison.OrdinalIgnoreCase));
                    if (k >= 0) keys[k] = rename.To;
                    RenameInOptions(options, from, rename.To);
                    break;
                }
                case WidenColumn widen:
                {
                    int i = Find(widen.Name);
                    var field = fields[i];
                    if (IsKey(field.Name) || IsPartition(field.Name))
                        throw new InvalidInputException($"Column '{field.Name}' is a key column and cannot be widened: keys are hashed to buckets by their exact type.");
                    if (!CanWiden(field.Type, widen.Type))
                        throw new InvalidInputException($"Column '{field.Name}' cannot change from {field.Type.TypeName} to {widen.Type.TypeName}: only INT→BIGINT, FLOAT→DOUBLE and DECIMAL to a larger precision (keeping its integer digits and scale) are supported.");
                    fields[i] = field with { Type = widen.Type.AsNullable(field.Type.Nullable) };
                    break;
                }
                case SetOption set:
                    CoreOptions.ValidateKeys([set.Key]);
                    options[set.Key] = set.Value;
                    break;
                case RemoveOption remove:
                    options.Remove(remove.Key);
                    break;
                case SetBucketCount b:
                    buckets = b.Buckets;
                    break;
            }
        }
        return new TableSchema(current.Id + 1, fields, keys, current.PartitionKeys, buckets, options, timeMillis, highest);
    }

    public static bool CanWiden(DataType from, DataType to) => (from.Kind, to.Kind) switch
    {
        (DataTypeKind.Int, DataTypeKind.BigInt) => true,
        (DataTypeKind.Float, DataTypeKind.Double) => true,
        (DataTypeKind.Decimal, DataTypeKind.Decimal) => to.Scale >= from.Scale && to.Precision - to.Scale >= from.Precision - from.Scale
            && (to.Precision, to.Scale) != (from.Precision, from.Scale),
        _ => false,
    };

    private static string? OptionsNaming(Dictionary<string, string> options, string column)
    {
        foreach (var (key, value) in options)
        {
            if (key.StartsWith(CoreOptions.FieldsPrefix + column + ".", StringComparison.OrdinalIgnoreCase)) return key;
            if ((key == CoreOptions.SequenceFieldKey || key.EndsWith(CoreOptions.SequenceGroupSuffix, StringComparison.Ordinal))
                && value.Split(',').Any(v => string.Equals(v.Trim(), column, StringComparison.OrdinalIgnoreCase))) return key;
        }
        return null;
    }

    private static void RenameInOptions(Dictionary<string, string> options, string from, string to)
    {
        foreach (var (key, value) in options.ToList())
        {
            var newKey = key.StartsWith(CoreOptions.FieldsPrefix + from + ".", StringComparison.OrdinalIgnoreCase)
                ? CoreOptions.FieldsPrefix + to + key[(CoreOptions.FieldsPrefix.Length + from.Length)..]
                : key;
            var newValue = key == CoreOptions.SequenceFieldKey || key.EndsWith(CoreOptions.SequenceGroupSuffix, StringComparison.Ordinal)
                ? string.Join(",", value.Split(',').Select(v => string.Equals(v.Trim(), from, StringComparison.OrdinalIgnoreCase) ? to : v.Trim()))
                : value;
            if (newKey != key) options.Remove(key);
            options[newKey] = newValue;
        }
    }
}
