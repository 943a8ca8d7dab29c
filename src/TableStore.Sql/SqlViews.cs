using System.Globalization;
using TableStore.Core;
using TableStore.Core.IO;
using TableStore.Core.Manifest;
using TableStore.Core.Schema;
using TableStore.Core.Table;

namespace TableStore.Sql;

/// <summary>
/// The SQL of one table at one snapshot over its Parquet files: files of older schemas projected to the snapshot's
/// columns by field id (renamed, added and widened columns line up), and a primary-key table merged as its merge
/// engine merges (deduplicate: per key the row with the highest <c>_SEQUENCE_NUMBER</c>, unless it is a retraction;
/// first-row: the lowest). Engines DuckDB cannot reproduce exactly are refused rather than answered wrongly.
/// </summary>
internal static class SqlViews
{
    public const string RowNumber = "__tablestore_rn";

    /// <summary>The view's SELECT, and the data files it reads (local paths, which the sandbox allows and nothing else).</summary>
    public static async Task<(string Sql, IReadOnlyList<string> Files)> DataAsync(FileStoreTable table, Snapshot? snapshot, bool systemColumns,
        Func<string, CancellationToken, Task<string>> localPath, CancellationToken ct)
    {
        var schema = snapshot is null ? table.Schema : await table.Schemas.GetAsync(snapshot.SchemaId, ct).ConfigureAwait(false);
        bool keyed = schema.Kind == TableKind.PrimaryKey;
        CheckMergeable(table.Identifier, schema);
        var plan = await table.WithSchema(schema).NewScan().PlanAsync(snapshot, null, ct).ConfigureAwait(false);
        var columns = schema.Fields.Select(f => Quote(f.Name)).ToList();
        var system = keyed ? new[] { Quote(SystemColumns.SequenceNumber), Quote(SystemColumns.ValueKind) } : [];
        var shown = string.Join(", ", systemColumns ? [.. columns, .. system] : columns);

        var files = new List<string>();
        var parts = new List<string>();
        foreach (var group in plan.Splits.SelectMany(s => s.Files.Select(f => (Split: s, File: f))).GroupBy(x => x.File.SchemaId).OrderBy(g => g.Key))
        {
            var fileSchema = group.Key == schema.Id ? schema : await table.Schemas.GetAsync(group.Key, ct).ConfigureAwait(false);
            var paths = new List<string>();
            foreach (var (split, file) in group)
                paths.Add(await localPath(table.Paths.DataFile(schema.PartitionKeys, split.Partition, split.Bucket, file.FileName), ct).ConfigureAwait(false));
            files.AddRange(paths);
            var select = schema.Fields.Select(f => Project(f, fileSchema.Fields.FirstOrDefault(old => old.Id == f.Id))).Concat(system);
            parts.Add($"SELECT {string.Join(", ", select)} FROM read_parquet([{string.Join(", ", paths.Select(Literal))}])");
        }
        if (parts.Count == 0)
        {
            // No files (no snapshot, or all rows gone): the columns with their types, and no rows.
            var empty = schema.Fields.Select(f => $"CAST(NULL AS {DuckType(f.Type)}) AS {Quote(f.Name)}")
                .Concat(keyed ? [$"CAST(NULL AS BIGINT) AS {system[0]}", $"CAST(NULL AS INTEGER) AS {system[1]}"] : []);
            return ($"SELECT {shown} FROM (SELECT {string.Join(", ", empty)}) WHERE false", files);
        }
        var union = string.Join("\nUNION ALL ", parts);
        if (!keyed) return ($"SELECT {shown} FROM (\n{union})", files);

        var key = string.Join(", ", schema.PrimaryKeys.Select(Quote));
        var seq = system[0];
        var merged = schema.CoreOptions.MergeEngine == MergeEngine.FirstRow
            // The first version of a key wins, whatever its kind (as FirstRowMergeFunction).
            ? $"SELECT *, row_number() OVER (PARTITION BY {key} ORDER BY {seq} ASC) AS {RowNumber} FROM (\n{union})"
            : $"SELECT *, row_number() OVER (PARTITION BY {key} ORDER BY {seq} DESC) AS {RowNumber} FROM (\n{union})";
        var keep = schema.CoreOptions.MergeEngine == MergeEngine.FirstRow ? "" : $" AND {system[1]} IN (0, 2)"; // +I and +U; -U and -D retract the key
        return ($"SELECT {shown} FROM (\n{merged}) WHERE {RowNumber} = 1{keep}", files);
    }

    private static void CheckMergeable(Identifier id, TableSchema schema)
    {
        if (schema.Kind != TableKind.PrimaryKey) return;
        var options = schema.CoreOptions;
        if (options.MergeEngine is MergeEngine.PartialUpdate or MergeEngine.Aggregation)
            throw new InvalidInputException(
                $"{id.FullName} merges with merge-engine={(options.MergeEngine == MergeEngine.PartialUpdate ? "partial-update" : "aggregation")}, which SQL does not reproduce yet: " +
                "only deduplicate and first-row tables are merged by DuckDB. Read it with 'tablestore scan', or export it ('tablestore scan --format csv') and query that.");
        if (options.SequenceFields.Count > 0)
            throw new InvalidInputException($"{id.FullName} orders its versions by sequence.field={string.Join(",", options.SequenceFields)}, which SQL does not reproduce yet. Read it with 'tablestore scan'.");
    }

    /// <summary>A column of the view from a file of another schema: by field id, cast where its type changed, null where it did not exist.</summary>
    private static string Project(DataField field, DataField? inFile) =>
        inFile is null ? $"CAST(NULL AS {DuckType(field.Type)}) AS {Quote(field.Name)}"
        : SameType(inFile.Type, field.Type) ? $"{Quote(inFile.Name)} AS {Quote(field.Name)}"
        : $"CAST({Quote(inFile.Name)} AS {DuckType(field.Type)}) AS {Quote(field.Name)}";

    private static bool SameType(DataType a, DataType b) => a.Kind == b.Kind && a.Precision == b.Precision && a.Scale == b.Scale;

    public static string DuckType(DataType type) => type.Kind switch
    {
        DataTypeKind.Boolean => "BOOLEAN",
        DataTypeKind.Int => "INTEGER",
        DataTypeKind.BigInt => "BIGINT",
        DataTypeKind.Float => "FLOAT",
        DataTypeKind.Double => "DOUBLE",
        DataTypeKind.Decimal => string.Create(CultureInfo.InvariantCulture, $"DECIMAL({type.Precision},{type.Scale})"),
        DataTypeKind.String => "VARCHAR",
        DataTypeKind.Bytes => "BLOB",
        DataTypeKind.Date => "DATE",
        DataTypeKind.Timestamp => "TIMESTAMP",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "No DuckDB type for it."),
    };

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
