using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace TableStore.Core.Schema;

/// <summary>
/// One immutable version of a table's schema. Every data file records the schema id it was written with.
/// </summary>
public sealed partial class TableSchema
{
    private static readonly HashSet<string> ReservedNames = new(StringComparer.OrdinalIgnoreCase)
    {
        SystemColumns.SequenceNumber, SystemColumns.ValueKind, SystemColumns.Op, SystemColumns.Snapshot,
    };

    public long Id { get; }
    public ImmutableArray<DataField> Fields { get; }
    public ImmutableArray<string> PrimaryKeys { get; }
    public ImmutableArray<string> PartitionKeys { get; }
    public int BucketCount { get; }
    public ImmutableSortedDictionary<string, string> Options { get; }
    public long TimeMillis { get; }

    public TableKind Kind => PrimaryKeys.IsEmpty ? TableKind.AppendOnly : TableKind.PrimaryKey;

    /// <summary>Positions of the primary-key fields, in key order.</summary>
    public ImmutableArray<int> KeyIndices { get; }
    public ImmutableArray<int> PartitionIndices { get; }
    /// <summary>Positions of the fields hashed to pick a bucket: the primary key minus the partition keys.</summary>
    public ImmutableArray<int> BucketKeyIndices { get; }
    /// <summary>Positions that order rows inside a file: the key for primary-key tables, none for append-only.</summary>
    public ImmutableArray<int> SortKeyIndices => Kind == TableKind.PrimaryKey ? KeyIndices : ImmutableArray<int>.Empty;

    public CoreOptions CoreOptions { get; }

    public TableSchema(long id, IEnumerable<DataField> fields, IEnumerable<string>? primaryKeys = null,
        IEnumerable<string>? partitionKeys = null, int bucketCount = 1,
        IReadOnlyDictionary<string, string>? options = null, long timeMillis = 0, int? highestFieldId = null)
    {
        Id = id;
        var fieldList = fields.ToList();
        PrimaryKeys = (primaryKeys ?? []).Select(k => k.Trim()).Where(k => k.Length > 0).ToImmutableArray();
        PartitionKeys = (partitionKeys ?? []).Select(k => k.Trim()).Where(k => k.Length > 0).ToImmutableArray();
        Options = (options ?? new Dictionary<string, string>()).ToImmutableSortedDictionary(StringComparer.Ordinal);
        TimeMillis = timeMillis;
        if (bucketCount < 1 || bucketCount > 4096)
            throw new InvalidInputException($"The bucket count must be between 1 and 4096, got {bucketCount}.");
        BucketCount = bucketCount;

        if (fieldList.Count == 0)
            throw new InvalidInputException("A table needs at least one column.");
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var ids = new HashSet<int>();
        foreach (var f in fieldList)
        {
            ValidateColumnName(f.Name);
            if (!seen.Add(f.Name)) throw new InvalidInputException($"Column '{f.Name}' is defined twice.");
            if (!ids.Add(f.Id)) throw new InvalidInputException($"Field id {f.Id} is used twice.");
        }

        int IndexOf(string name, string role)
        {
            int i = fieldList.FindIndex(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
            if (i < 0) throw new InvalidInputException($"{role} column '{name}' is not a column of the table (columns: {string.Join(", ", fieldList.Select(f => f.Name))}).");
            return i;
        }

        KeyIndices = PrimaryKeys.Select(k => IndexOf(k, "Primary-key")).ToImmutableArray();
        PartitionIndices = PartitionKeys.Select(k => IndexOf(k, "Partition")).ToImmutableArray();
        if (KeyIndices.Distinct().Count() != KeyIndices.Length) throw new InvalidInputException("The primary key names a column twice.");
        if (PartitionIndices.Distinct().Count() != PartitionIndices.Length) throw new InvalidInputException("The partition keys name a column twice.");
        if (!KeyIndices.IsEmpty)
        {
            foreach (var p in PartitionIndices)
                if (!KeyIndices.Contains(p))
                    throw new InvalidInputException($"Partition column '{fieldList[p].Name}' must be part of the primary key ({string.Join(",", PrimaryKeys)}).");
            if (KeyIndices.All(PartitionIndices.Contains))
                throw new InvalidInputException("The primary key must contain at least one column that is not a partition key.");
        }
        // Key and partition columns can never hold null: a null key has no identity and no path.
        foreach (var i in KeyIndices.Concat(PartitionIndices))
            if (fieldList[i].Type.Nullable) fieldList[i] = fieldList[i] with { Type = fieldList[i].Type.AsNullable(false) };
        foreach (var i in PartitionIndices)
            if (fieldList[i].Type.Kind is DataTypeKind.Bytes or DataTypeKind.Float or DataTypeKind.Double)
                throw new InvalidInputException($"Partition column '{fieldList[i].Name}' has type {fieldList[i].Type.TypeName}, which cannot be a partition key.");
        // Canonical names (as declared on the field) for keys.
        PrimaryKeys = KeyIndices.Select(i => fieldList[i].Name).ToImmutableArray();
        PartitionKeys = PartitionIndices.Select(i => fieldList[i].Name).ToImmutableArray();
        Fields = fieldList.ToImmutableArray();
        HighestFieldId = Math.Max(highestFieldId ?? -1, Fields.Max(f => f.Id));

        BucketKeyIndices = KeyIndices.IsEmpty
            ? Enumerable.Range(0, Fields.Length).Where(i => !PartitionIndices.Contains(i)).ToImmutableArray()
            : KeyIndices.Where(i => !PartitionIndices.Contains(i)).ToImmutableArray();
        CoreOptions = new CoreOptions(Options);
        if (Kind == TableKind.AppendOnly)
        {
            foreach (var key in Options.Keys)
                if (CoreOptions.Find(key) is { RequiresPrimaryKey: true }) throw new InvalidInputException($"The option '{key}' needs a primary key.");
        }
        MergeSpec = new MergeTree.Engines.MergeEngineSpec(this);
    }

    /// <summary>The merge engine and its per-column settings (validated with the schema).</summary>
    public MergeTree.Engines.MergeEngineSpec MergeSpec { get; }

    public int FieldIndex(string name)
    {
        for (int i = 0; i < Fields.Length; i++)
            if (string.Equals(Fields[i].Name, name, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }

    public int RequireFieldIndex(string name)
    {
        int i = FieldIndex(name);
        if (i < 0) throw new InvalidInputException($"Unknown column '{name}'. Columns are: {string.Join(", ", Fields.Select(f => f.Name))}.");
        return i;
    }

    /// <summary>The highest field id ever used by this table, dropped columns included: ids are never reused.</summary>
    public int HighestFieldId { get; }

    public static void ValidateColumnName(string name)
    {
        if (!ColumnNamePattern().IsMatch(name))
            throw new InvalidInputException($"Invalid column name '{name}': use letters, digits and '_', starting with a letter or '_', at most 128 characters.");
        if (ReservedNames.Contains(name))
            throw new InvalidInputException($"Column name '{name}' is reserved for a system column.");
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}\\z")]
    private static partial Regex ColumnNamePattern();
}
