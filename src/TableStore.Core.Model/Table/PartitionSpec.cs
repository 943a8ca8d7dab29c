using TableStore.Core.Data;
using TableStore.Core.Schema;

namespace TableStore.Core.Table;

/// <summary>
/// A selection of partitions by some or all partition columns, e.g. <c>dt=2024-05-01,region=eu</c>. Values are
/// typed like row values, so <c>amount=1.5</c> and <c>amount=1.50</c> select the same DECIMAL partition.
/// </summary>
public sealed class PartitionSpec
{
    private readonly (int Position, string Name, object Value)[] _values;

    private PartitionSpec((int, string, object)[] values) => _values = values;

    /// <summary>Selects every partition.</summary>
    public static readonly PartitionSpec All = new([]);

    public bool IsAll => _values.Length == 0;

    /// <summary>True when the spec names every partition column, i.e. exactly one partition.</summary>
    public bool IsComplete(TableSchema schema) => _values.Length == schema.PartitionKeys.Length;

    /// <summary>The partition's values in partition-key order; only for a complete spec.</summary>
    public object?[] ToPartition() => _values.OrderBy(v => v.Position).Select(v => (object?)v.Value).ToArray();

    public bool Matches(object?[] partition)
    {
        foreach (var (p, _, v) in _values)
            if (!Values.ValueEquals(partition[p], v)) return false;
        return true;
    }

    /// <summary>Parses <c>k=v[,k=v]</c> and checks it against the table; an empty or null text selects every partition.</summary>
    public static PartitionSpec Parse(string? text, TableSchema schema) => Of(ParseAssignments(text), schema);

    /// <summary>
    /// Splits <c>k=v[,k=v]</c> (as typed on a command line) into partition column → value text, in the order given;
    /// null for an empty or null text (every partition). Only the form is checked here; <see cref="Of"/> checks
    /// the columns and values against a table.
    /// </summary>
    public static IReadOnlyDictionary<string, string>? ParseAssignments(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in text.Split(','))
        {
            int eq = part.IndexOf('=');
            if (eq <= 0)
                throw new InvalidInputException($"Partition '{text}' is not of the form column=value[,column=value]: '{part}' has no '='.");
            var name = part[..eq].Trim();
            if (!values.TryAdd(name, part[(eq + 1)..]))
                throw new InvalidInputException($"Partition column '{name}' is given twice in '{text}'.");
        }
        return values;
    }

    /// <summary>
    /// The partitions whose columns have these values (partition column → value as text, typed by the column's type);
    /// null or empty selects every partition.
    /// </summary>
    public static PartitionSpec Of(IReadOnlyDictionary<string, string>? assignments, TableSchema schema)
    {
        if (assignments is null || assignments.Count == 0) return All;
        var text = Describe(assignments);
        if (schema.PartitionKeys.Length == 0)
            throw new InvalidInputException($"Partition selection '{text}' was given, but the table is not partitioned.");
        var values = new List<(int Position, string Name, object Value)>();
        foreach (var (column, value) in assignments)
        {
            var name = column.Trim();
            int p = schema.PartitionKeys.ToList().FindIndex(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
            if (p < 0)
                throw new InvalidInputException($"'{name}' in partition '{text}' is not a partition column; the table is partitioned by {string.Join(", ", schema.PartitionKeys)}.");
            if (values.Any(v => v.Position == p))
                throw new InvalidInputException($"Partition column '{name}' is given twice in '{text}'.");
            var field = schema.Fields[schema.PartitionIndices[p]];
            values.Add((p, field.Name, Values.Parse(value, field.Type)));
        }
        return new PartitionSpec([.. values]);
    }

    /// <summary>Partition assignments as <c>k=v[,k=v]</c>, for messages.</summary>
    public static string Describe(IReadOnlyDictionary<string, string> assignments) => string.Join(",", assignments.Select(a => $"{a.Key}={a.Value}"));

    public override string ToString() => IsAll ? "(all partitions)" : string.Join(",", _values.Select(v => $"{v.Name}={Values.Format(v.Value)}"));
}
