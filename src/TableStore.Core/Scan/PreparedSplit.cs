using TableStore.Core.Format;
using TableStore.Core.MergeTree;

namespace TableStore.Core.Scan;

/// <summary>A decoded, merged split whose rows are produced on demand. Dispose returns its buffers.</summary>
public sealed class PreparedSplit(IReadOnlyList<ColumnBatch> runs, List<MergePick>? picks) : IDisposable
{
    /// <summary>Full-width rows (read columns filled) in key order, or write order for append-only tables.</summary>
    public IEnumerable<object?[]> Rows()
    {
        if (picks is not null) return BatchMergeReader.Rows(runs, picks);
        return runs.SelectMany(r => Enumerable.Range(0, r.RowCount).Select(r.Row));
    }

    public void Dispose()
    {
        foreach (var r in runs) r.Dispose(); // each batch returns its buffers once, however often this runs
    }
}
