namespace TableStore.Abstractions;

/// <summary>
/// One scan (key: <see cref="GrainKeys.Scan"/>, a fresh one per scan): streams a snapshot's rows page by page. A
/// grain of its own because an enumeration's pages must come from the activation that holds its enumerator, and
/// the table grain is a stateless worker whose activations are interchangeable: a page request could reach one that
/// never saw the scan.
/// </summary>
[Alias("TableStore.IScanGrain")]
public interface IScanGrain : IGrainWithStringKey
{
    /// <summary>The first page carries the header (columns, snapshot id), even when there are no rows.</summary>
    [Alias("Scan")] IAsyncEnumerable<ScanPage> ScanAsync(ScanRequest request);
}
