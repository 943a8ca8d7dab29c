using TableStore.Core.Manifest;

namespace TableStore.Core.Lookup;

/// <summary>The row found (null: absent or deleted) and the snapshot read (null: the table has no snapshot yet).</summary>
public sealed record LookupResult(Snapshot? Snapshot, object?[]? Row);
