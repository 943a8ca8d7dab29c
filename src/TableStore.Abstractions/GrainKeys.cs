using System.Globalization;
using TableStore.Core.Table;

namespace TableStore.Abstractions;

/// <summary>
/// Grain keys. A bucket's key is <c>db.table|k1=v1/bucket-N</c>: its partition path and bucket, as on disk, so
/// logs and dashboards name the folder the grain owns.
/// </summary>
public static class GrainKeys
{
    public const string Catalog = "warehouse";

    public static string Bucket(string table, IReadOnlyList<string> partitionKeys, IReadOnlyList<object?> partition, int bucket) =>
        string.Concat(table, "|", TablePaths.PartitionPath(partitionKeys, partition), "bucket-", bucket.ToString(CultureInfo.InvariantCulture));

    /// <summary>A new SQL query's key: an id of its own.</summary>
    public static string Query() => "query-" + Guid.NewGuid().ToString("N");

    /// <summary>A new scan's key: the table, and an id of its own.</summary>
    public static string Scan(string table) => string.Concat(table, "|scan-", Guid.NewGuid().ToString("N"));

    /// <summary>The table part of a bucket or scan key.</summary>
    public static string TableOf(string bucketKey) => bucketKey[..bucketKey.IndexOf('|', StringComparison.Ordinal)];
}

