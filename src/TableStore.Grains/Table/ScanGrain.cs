using Orleans.Placement;
using TableStore.Abstractions;
using TableStore.Core.Scan;

namespace TableStore.Grains.Table;

/// <summary>
/// One scan, on the silo that received it: the enumeration's state lives in this activation until the last page,
/// and the activation goes away after it. Pages are <see cref="ScanPageRows"/> rows.
/// </summary>
[PreferLocalPlacement]
internal sealed class ScanGrain(TableStoreRuntime runtime) : Grain, IScanGrain
{
    private const int ScanPageRows = 1024;

    public async IAsyncEnumerable<ScanPage> ScanAsync(ScanRequest request)
    {
        try
        {
            var table = await runtime.GetTableAsync(GrainKeys.TableOf(this.GetPrimaryKeyString())).ConfigureAwait(true);
            var result = await table.ScanAsync(new ScanOptions
            {
                SnapshotId = request.SnapshotId,
                AsOf = request.AsOfMillis is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null,
                Columns = request.Columns,
                Filter = request.Filter,
                Limit = request.Limit,
                Tag = request.Tag,
            }).ConfigureAwait(true);
            ScanHeader? header = new(result.Columns, result.Snapshot?.Id);
            var page = new List<object?[]>(ScanPageRows);
            await foreach (var row in result.Rows.ConfigureAwait(true))
            {
                page.Add(row);
                if (page.Count < ScanPageRows) continue;
                yield return new ScanPage(header, [.. page]);
                header = null;
                page.Clear();
            }
            if (page.Count > 0 || header is not null) yield return new ScanPage(header, [.. page]);
        }
        finally
        {
            DeactivateOnIdle(); // one scan per activation
        }
    }
}
