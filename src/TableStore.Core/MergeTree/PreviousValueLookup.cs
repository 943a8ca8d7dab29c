namespace TableStore.Core.MergeTree;

/// <summary>The value a key had before this write (at the snapshot the write is based on); null: absent.</summary>
public delegate Task<object?[]?> PreviousValueLookup(object?[] key, CancellationToken ct);
