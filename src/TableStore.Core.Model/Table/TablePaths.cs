using System.Globalization;
using System.Text;
using TableStore.Core.Data;

namespace TableStore.Core.Table;

/// <summary>
/// Where every object of one table lives, relative to the warehouse root:
/// <c>&lt;db&gt;.db/&lt;table&gt;/{schema,snapshot,manifest}/...</c> and <c>&lt;partition path&gt;/bucket-&lt;b&gt;/data-*.parquet</c>.
/// </summary>
public sealed class TablePaths(string tableRoot)
{
    public const string SnapshotPrefix = "snapshot-";
    public const string SchemaPrefix = "schema-";
    public const string TagPrefix = "tag-";
    public const string ConsumerPrefix = "consumer-";

    public string Root { get; } = tableRoot.TrimEnd('/');

    /// <summary><c>db.table</c> for a root <c>db.db/table</c>: the name used in logs and metric tags.</summary>
    public string TableName => Root.Replace(".db/", ".", StringComparison.Ordinal);

    public string SchemaDir => Root + "/schema/";
    public string SchemaFile(long id) => SchemaDir + SchemaPrefix + id.ToString(CultureInfo.InvariantCulture);
    public string SnapshotDir => Root + "/snapshot/";
    public string SnapshotFile(long id) => SnapshotDir + SnapshotPrefix + id.ToString(CultureInfo.InvariantCulture);
    public string LatestHint => SnapshotDir + "LATEST";
    public string ManifestDir => Root + "/manifest/";
    public string TagDir => Root + "/tag/";
    public string TagFile(string name) => TagDir + TagPrefix + name;
    public string ManifestFile(string name) => ManifestDir + name;
    public string ConsumerDir => Root + "/consumer/";

    /// <summary>Parts of writes too large for one message, staged until their commit (see <c>StagedWrites</c>).</summary>
    public string UploadDir => Root + "/upload/";
    /// <summary>The single-file form of a consumer's position, written before positions were versioned (still read).</summary>
    public string ConsumerFile(string id) => ConsumerDir + ConsumerPrefix + id;

    /// <summary>Where a consumer's recorded positions live, one object each: <see cref="ConsumerPosition"/>.</summary>
    public string ConsumerPositions(string id) => ConsumerDir + id + "/";

    /// <summary>One recorded position: <c>consumer/&lt;id&gt;/next-&lt;N, 19 digits&gt;</c>, created with put-if-absent.</summary>
    public string ConsumerPosition(string id, long nextSnapshot) =>
        ConsumerPositions(id) + ConsumerPositionPrefix + nextSnapshot.ToString("D19", CultureInfo.InvariantCulture);

    public const string ConsumerPositionPrefix = "next-";

    /// <summary>The N of a listed <c>.../&lt;prefix&gt;N</c> object (schema-N, snapshot-N); false for anything else.</summary>
    public static bool TryParseNumbered(string path, string prefix, out long id)
    {
        var name = path.AsSpan(path.LastIndexOf('/') + 1);
        id = 0;
        return name.StartsWith(prefix, StringComparison.Ordinal)
            && long.TryParse(name[prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out id);
    }

    public static string NewManifestName() => "manifest-" + Guid.NewGuid().ToString("N");
    public static string NewManifestListName() => "manifest-list-" + Guid.NewGuid().ToString("N");
    public const string DataFilePrefix = "data-";
    public const string ChangelogFilePrefix = "changelog-";

    public static string NewDataFileName(string prefix = DataFilePrefix) => prefix + Guid.NewGuid().ToString("N") + ".parquet";

    public string BucketDir(IReadOnlyList<string> partitionKeys, IReadOnlyList<object?> partition, int bucket)
    {
        var sb = new StringBuilder(Root).Append('/');
        sb.Append(PartitionPath(partitionKeys, partition));
        return sb.Append("bucket-").Append(bucket.ToString(CultureInfo.InvariantCulture)).ToString();
    }

    public string DataFile(IReadOnlyList<string> partitionKeys, IReadOnlyList<object?> partition, int bucket, string fileName) =>
        BucketDir(partitionKeys, partition, bucket) + "/" + fileName;

    /// <summary><c>k1=v1/k2=v2/</c> with Hive-style escaping, so any value makes exactly one safe path segment.</summary>
    public static string PartitionPath(IReadOnlyList<string> keys, IReadOnlyList<object?> values)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < keys.Count; i++)
            sb.Append(Escape(keys[i])).Append('=').Append(Escape(Values.Format(values[i]))).Append('/');
        return sb.ToString();
    }

    private static string Escape(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            char c = (char)b;
            if (b < 0x80 && (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && !(sb.Length == 0 && c == '.'))
                sb.Append(c);
            else
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}
