using TableStore.Core.IO;
using TableStore.Core.Manifest;
using TableStore.Core.MergeTree;
using TableStore.Core.Schema;
using TableStore.Core.Table;

namespace TableStore.Core.Format;

/// <summary>
/// Writes sorted rows of one bucket as Parquet data files, rolling to a new file at the target size, and
/// returns each file's meta (row count, key range, sequence range, column stats). Primary-key files carry
/// <c>_SEQUENCE_NUMBER</c> and <c>_VALUE_KIND</c> first, then the user columns.
/// </summary>
public sealed class DataFileWriter(IObjectStore store, TablePaths paths, TableSchema schema, TimeProvider time)
{
    public RowSizeEstimator Estimator { get; } = new(schema);

    /// <summary>A writer of one sorted run whose rows come in pieces (a merge, a compaction).</summary>
    /// <param name="prefix">File name prefix: <see cref="TablePaths.DataFilePrefix"/>, or <see cref="TablePaths.ChangelogFilePrefix"/> for
    /// changelog files (rows in the order given, not sorted; their key range means nothing).</param>
    public RollingFileWriter NewRun(IReadOnlyList<object?> partition, int bucket, int level, string prefix = TablePaths.DataFilePrefix) =>
        new(store, paths, schema, time, Estimator, partition, bucket, level, prefix);

    /// <summary>Writes rows already in memory as one run of files.</summary>
    /// <param name="prefix">As for <see cref="NewRun"/>.</param>
    public async Task<List<DataFileMeta>> WriteAsync(IReadOnlyList<object?> partition, int bucket, IReadOnlyList<KeyValue> rows, int level,
        string prefix = TablePaths.DataFilePrefix, CancellationToken ct = default)
    {
        await using var run = NewRun(partition, bucket, level, prefix);
        await run.AddAsync(rows, ct).ConfigureAwait(false);
        return await run.CompleteAsync(ct).ConfigureAwait(false);
    }
}
