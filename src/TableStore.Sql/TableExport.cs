using System.Globalization;
using TableStore.Core;
using TableStore.Core.IO;
using TableStore.Core.Table;

namespace TableStore.Sql;

/// <summary>
/// A merged, plain Parquet copy of a table at one snapshot, for engines that know nothing of TableStore (Spark,
/// Trino, DuckDB, pandas): what a scan of that snapshot returns, system columns dropped, Hive-style folders per
/// partition (<c>region=eu/data_0.parquet</c>), zstd, files of at most 128 MB. Written by DuckDB from the same
/// views as <c>tablestore sql</c>; to a folder here, or to any warehouse URI (copied there file by file).
/// </summary>
public static class TableExport
{
    public const long MaxFileBytes = 128L << 20;

    /// <param name="target">Where the files go: a local folder, or an object store (then <paramref name="targetName"/> says which, for messages).</param>
    /// <param name="snapshotSuffix">Empty for the latest snapshot, else a view suffix such as <c>snapshot_12</c>, <c>tag_daily</c>, <c>as_of_…</c>.</param>
    public static async Task<ExportResult> RunAsync(Catalog catalog, Identifier table, string snapshotSuffix, IObjectStore target, string targetName, SqlOptions options, CancellationToken ct = default)
    {
        // An export never mixes with what is there: a second run into the same place is refused, not merged.
        await foreach (var existing in target.ListAsync("", ct).ConfigureAwait(false))
            throw new InvalidInputException($"{targetName} is not empty (it holds {existing.Path}): export into a new folder or prefix.");
        // The snapshot is resolved once: the partitions listed and the rows written are of the same one.
        var fileTable = await catalog.GetTableAsync(table, ct).ConfigureAwait(false);
        var (snapshotId, tag, asOf) = new SqlTableReference(table, snapshotSuffix).TimeTravel();
        var snapshot = await fileTable.NewScan().ResolveSnapshotAsync(new Core.Scan.ScanOptions { SnapshotId = snapshotId, Tag = tag, AsOf = asOf }, ct).ConfigureAwait(false);
        var pinned = snapshot is null ? "" : $"snapshot_{snapshot.Id.ToString(CultureInfo.InvariantCulture)}";
        var view = $"{SqlViews.Quote(table.Database)}.{SqlViews.Quote(pinned.Length == 0 ? table.Table : $"{table.Table}${pinned}")}";
        var sql = $"SELECT * FROM {view}";
        var local = target.LocalPath("probe") is { } path ? Path.GetDirectoryName(Path.GetFullPath(path))! : null;
        var staging = local ?? Directory.CreateTempSubdirectory("tablestore-export-").FullName;
        Directory.CreateDirectory(staging);
        try
        {
            long rows = 0;
            await using (var session = await SqlSession.OpenAsync(catalog, sql, options, outDirectory: staging, ct: ct).ConfigureAwait(false))
            {
                var keys = fileTable.Schema.PartitionKeys;
                if (keys.Length == 0) rows = session.ExportTo(sql, staging, MaxFileBytes);
                else
                {
                    // One COPY per partition into its Hive folder (DuckDB cannot bound file sizes when it partitions
                    // itself); each reads only its partition's files, the others pruned.
                    var plan = await fileTable.NewScan().PlanAsync(snapshot, null, ct).ConfigureAwait(false);
                    var types = keys.Select(k => fileTable.Schema.Fields[fileTable.Schema.RequireFieldIndex(k)].Type).ToList();
                    foreach (var partition in plan.Splits.Select(s => s.Partition).DistinctBy(Core.Manifest.PartitionKey.Of))
                    {
                        ct.ThrowIfCancellationRequested();
                        var folder = Path.Combine([staging, .. keys.Select((k, i) => $"{k}={(partition[i] is null ? "__HIVE_DEFAULT_PARTITION__" : Uri.EscapeDataString(Core.Data.Values.Format(partition[i])))}")]);
                        Directory.CreateDirectory(folder);
                        var where = string.Join(" AND ", keys.Select((k, i) => partition[i] is null ? $"{SqlViews.Quote(k)} IS NULL" : $"{SqlViews.Quote(k)} = {SqlViews.Constant(partition[i], types[i])}"));
                        rows += session.ExportTo($"SELECT * EXCLUDE ({string.Join(", ", keys.Select(SqlViews.Quote))}) FROM {view} WHERE {where}", folder, MaxFileBytes);
                    }
                }
            }
            var files = Directory.EnumerateFiles(staging, "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
            long bytes = files.Sum(f => new FileInfo(f).Length);
            if (local is null)
                foreach (var file in files)
                {
                    var key = Path.GetRelativePath(staging, file).Replace(Path.DirectorySeparatorChar, '/');
                    await target.PutAsync(key, await File.ReadAllBytesAsync(file, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
                }
            return new ExportResult(rows, files.Count, bytes);
        }
        finally
        {
            if (local is null)
            {
                try { Directory.Delete(staging, recursive: true); }
                catch (IOException) { }
            }
        }
    }
}

/// <summary>What an export wrote: rows, Parquet files and their bytes.</summary>
public sealed record ExportResult(long Rows, int Files, long Bytes)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Rows:N0} rows in {Files} Parquet file{(Files == 1 ? "" : "s")} ({Bytes / 1e6:0.0} MB)");
}
