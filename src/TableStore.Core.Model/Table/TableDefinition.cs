using TableStore.Core.Schema;

namespace TableStore.Core.Table;

/// <summary>What a new table looks like; ids are assigned by the catalog.</summary>
public sealed record TableDefinition(
    IReadOnlyList<DataField> Columns,
    IReadOnlyList<string>? PrimaryKeys = null,
    IReadOnlyList<string>? PartitionKeys = null,
    int Buckets = 1,
    IReadOnlyDictionary<string, string>? Options = null);
