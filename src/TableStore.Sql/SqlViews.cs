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
    /// <summary>Files of one partition read by a branch each (so their key ranges prune them); more share one branch.</summary>
    private const int MaxFileBranches = 64;

    /// <summary>The view's SELECT, and the data files it reads (local paths, which the sandbox allows and nothing else).</summary>
    /// <param name="latest">The table as it is now (its current schema, as <c>scan</c> reads it: an ALTER makes no snapshot); else as of <paramref name="snapshot"/>'s schema.</param>
    public static async Task<(string Sql, IReadOnlyList<string> Files)> DataAsync(FileStoreTable table, Snapshot? snapshot, bool latest, bool systemColumns,
        Func<string, CancellationToken, Task<string>> localPath, CancellationToken ct)
    {
        var schema = latest || snapshot is null ? table.Schema : await table.Schemas.GetAsync(snapshot.SchemaId, ct).ConfigureAwait(false);
        bool keyed = schema.Kind == TableKind.PrimaryKey;
        CheckMergeable(table.Identifier, schema);
        var plan = await table.WithSchema(schema).NewScan().PlanAsync(snapshot, null, ct).ConfigureAwait(false);
        var columns = schema.Fields.Select(f => Quote(f.Name)).ToList();
        var system = keyed ? new[] { Quote(SystemColumns.SequenceNumber), Quote(SystemColumns.ValueKind) } : [];
        var shown = string.Join(", ", systemColumns ? [.. columns, .. system] : columns);

        var files = new List<string>();
        var merging = new List<string>(); // branches whose keys may have versions in other files: merged per key
        var alone = new List<string>();   // a primary-key file whose key range overlaps no other file's: its rows need no merge
        var single = keyed ? Unshared(plan.Splits) : [];
        // One branch per partition and file schema. A partition's columns are constants in its branch, so a query's
        // filter on them folds to false in the other branches and DuckDB drops them without opening their files.
        var partitionIndex = schema.PartitionKeys.Select((k, i) => (Key: k, Index: i)).ToDictionary(p => p.Key, p => p.Index, StringComparer.Ordinal);
        var groups = plan.Splits
            .SelectMany(s => s.Files.Select(f => (Split: s, File: f)))
            .GroupBy(x => (Partition: PartitionKey.Of(x.Split.Partition), x.File.SchemaId, Alone: single.Contains(x.File.FileName)));
        foreach (var group in groups)
        {
            var fileSchema = group.Key.SchemaId == schema.Id ? schema : await table.Schemas.GetAsync(group.Key.SchemaId, ct).ConfigureAwait(false);
            var partition = group.First().Split.Partition;
            var select = string.Join(", ", schema.Fields.Select(f => partitionIndex.TryGetValue(f.Name, out var i)
                ? $"{Constant(partition[i], f.Type)} AS {Quote(f.Name)}"
                : Project(f, fileSchema.Fields.FirstOrDefault(old => old.Id == f.Id))).Concat(system));
            var members = group.ToList();
            // A primary-key table's files also carry their key columns' ranges: a query's filter on a key folds to false
            // for files whose range cannot hold it, and DuckDB skips them (a key's versions are only in files whose
            // range holds it, so the merge stays right). Per file up to a point; beyond, one branch per partition.
            bool perFile = keyed && members.Count <= MaxFileBranches;
            foreach (var batch in perFile ? members.Select(m => new[] { m }) : [members.ToArray()])
            {
                var paths = new List<string>();
                foreach (var (split, file) in batch)
                    paths.Add(await localPath(table.Paths.DataFile(schema.PartitionKeys, split.Partition, split.Bucket, file.FileName), ct).ConfigureAwait(false));
                files.AddRange(paths);
                var range = perFile ? KeyRange(schema, fileSchema, batch[0].File) : "";
                (group.Key.Alone ? alone : merging).Add($"SELECT {select} FROM read_parquet([{string.Join(", ", paths.Select(Literal))}]){range}");
            }
        }
        if (merging.Count + alone.Count == 0)
        {
            // No files (no snapshot, or all rows gone): the columns with their types, and no rows.
            var empty = schema.Fields.Select(f => $"CAST(NULL AS {DuckType(f.Type)}) AS {Quote(f.Name)}")
                .Concat(keyed ? [$"CAST(NULL AS BIGINT) AS {system[0]}", $"CAST(NULL AS INTEGER) AS {system[1]}"] : []);
            return ($"SELECT {shown} FROM (SELECT {string.Join(", ", empty)}) WHERE false", files);
        }
        if (!keyed) return ($"SELECT {shown} FROM (\n{string.Join("\nUNION ALL ", merging)})", files);

        var key = string.Join(", ", schema.PrimaryKeys.Select(Quote));
        var seq = system[0];
        bool first = schema.CoreOptions.MergeEngine == MergeEngine.FirstRow;
        // The first version of a key wins whatever its kind (as FirstRowMergeFunction); otherwise -U and -D retract it.
        var live = first ? "true" : $"{system[1]} IN (0, 2)";
        var selects = new List<string>();
        if (merging.Count > 0)
        {
            // Per key, its newest version (first-row: its oldest).
            const string rank = "__tablestore_rn";
            var ranked = $"SELECT *, row_number() OVER (PARTITION BY {key} ORDER BY {seq} {(first ? "ASC" : "DESC")}) AS {rank} FROM (\n{string.Join("\nUNION ALL ", merging)})";
            selects.Add($"SELECT {shown} FROM (\n{ranked}) WHERE {rank} = 1 AND {live}");
        }
        // A file is a sorted run (each key once): alone, its rows are already the merge's result.
        if (alone.Count > 0) selects.Add($"SELECT {shown} FROM (\n{string.Join("\nUNION ALL ", alone)}) WHERE {live}");
        return (string.Join("\nUNION ALL\n", selects), files);
    }

    /// <summary>
    /// The files whose key range overlaps no other file's in their partition and bucket (keys never cross buckets):
    /// after a full compaction, all of them.
    /// </summary>
    private static HashSet<string> Unshared(IReadOnlyList<Core.Scan.DataSplit> splits)
    {
        var unshared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var split in splits)
        {
            if (split.Files.Count == 1)
            {
                unshared.Add(split.Files[0].FileName);
                continue;
            }
            var sorted = split.Files.OrderBy(f => f.MinKey, KeyComparer.Instance).ToList();
            object?[]? reach = null; // the highest max key among the files before
            for (int i = 0; i < sorted.Count; i++)
            {
                bool overlapsBefore = reach is not null && KeyComparer.Instance.Compare(sorted[i].MinKey, reach) <= 0;
                bool overlapsAfter = i + 1 < sorted.Count && KeyComparer.Instance.Compare(sorted[i + 1].MinKey, sorted[i].MaxKey) <= 0;
                if (!overlapsBefore && !overlapsAfter) unshared.Add(sorted[i].FileName);
                if (reach is null || KeyComparer.Instance.Compare(sorted[i].MaxKey, reach) > 0) reach = sorted[i].MaxKey;
            }
        }
        return unshared;
    }

    private sealed class KeyComparer : IComparer<object?[]>
    {
        public static readonly KeyComparer Instance = new();

        public int Compare(object?[]? x, object?[]? y)
        {
            if (x is null || y is null || x.Length != y.Length) throw new InvalidOperationException("Keys of different shapes.");
            for (int i = 0; i < x.Length; i++)
            {
                int c = Core.Data.Values.CompareNullable(x[i], y[i]);
                if (c != 0) return c;
            }
            return 0;
        }
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

    /// <summary><c> WHERE k BETWEEN min AND max</c> over the file's key columns (those it has stats of, in the same type), or nothing.</summary>
    private static string KeyRange(TableSchema schema, TableSchema fileSchema, DataFileMeta file)
    {
        var conditions = new List<string>();
        foreach (var i in schema.KeyIndices)
        {
            var field = schema.Fields[i];
            if (schema.PartitionKeys.Contains(field.Name)) continue; // a constant of the branch already
            var inFile = fileSchema.Fields.FirstOrDefault(f => f.Id == field.Id);
            if (inFile is null || !SameType(inFile.Type, field.Type) || field.Type.Kind is DataTypeKind.Float or DataTypeKind.Double or DataTypeKind.Bytes) continue;
            if (file.StatsFor(field.Id) is not { Min: { } min, Max: { } max }) continue;
            // Stats order strings by UTF-16 code unit, DuckDB by code point: they agree while no char is a surrogate or above.
            if (min is string low && low.Any(c => c >= '\uD800') || max is string high && high.Any(c => c >= '\uD800')) continue;
            conditions.Add($"{Quote(inFile.Name)} BETWEEN {Constant(min, field.Type)} AND {Constant(max, field.Type)}");
        }
        return conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions);
    }

    /// <summary>A value as a typed SQL constant (partition values: the types partitions may have).</summary>
    public static string Constant(object? value, DataType type) => value switch
    {
        null => $"CAST(NULL AS {DuckType(type)})",
        string text => $"CAST({Literal(text)} AS {DuckType(type)})",
        bool b => b ? "true" : "false",
        byte[] bytes => $"from_hex({Literal(Convert.ToHexString(bytes))})",
        _ => $"CAST({Literal(Core.Data.Values.Format(value))} AS {DuckType(type)})",
    };

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
