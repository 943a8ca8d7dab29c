using TableStore.Core.Manifest;
using TableStore.Core.Scan;
using TableStore.Core.Schema;

namespace TableStore.Core.Table;

/// <summary>The outcome of <see cref="FileStoreTable.ScanAsync"/>: the plan, the output columns and the rows (lazy).</summary>
public sealed record ScanResult(ScanPlan Plan, IReadOnlyList<DataField> Columns, IAsyncEnumerable<object?[]> Rows)
{
    public Snapshot? Snapshot => Plan.Snapshot;

    public async Task<List<object?[]>> ToListAsync(CancellationToken ct = default)
    {
        var list = new List<object?[]>();
        await foreach (var r in Rows.WithCancellation(ct).ConfigureAwait(false)) list.Add(r);
        return list;
    }
}
