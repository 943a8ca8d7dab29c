using System.Globalization;
using DuckDB.NET.Data;
using TableStore.Core.Data;
using TableStore.Core.Schema;
using TableStore.Core.Table;

namespace TableStore.Sql;

/// <summary>
/// A table's metadata as tables: <c>$snapshots</c>, <c>$schemas</c>, <c>$tags</c>, <c>$files</c> (the latest
/// snapshot's live data files), <c>$manifests</c> (the latest snapshot's manifest files) and <c>$consumers</c>, with
/// the columns of the CLI's own listings where it has one (<c>snapshots</c>, <c>tag list</c>, <c>consumer list</c>);
/// and <c>$changes</c> / <c>$changes_FROM_TO</c>: each snapshot's changes as <c>stream</c> gives them, with
/// <c>_op</c> and <c>_snapshot</c>.
/// </summary>
internal static class SqlSystemTables
{
    public static async Task CreateAsync(DuckDBConnection connection, string schema, string name, SqlTableReference reference, FileStoreTable table, CancellationToken ct)
    {
        if (reference.Suffix == SqlTableReference.Changes || reference.ChangesBetween() is not null)
        {
            await CreateChangesAsync(connection, schema, name, reference.ChangesBetween(), table, ct).ConfigureAwait(false);
            return;
        }
        switch (reference.Suffix)
        {
            case SqlTableReference.Snapshots:
            {
                var ids = await table.Snapshots.ListIdsAsync(ct).ConfigureAwait(false);
                var rows = new List<object?[]>();
                foreach (var id in ids)
                {
                    var s = await table.Snapshots.TryGetAsync(id, ct).ConfigureAwait(false);
                    if (s is null) continue; // expired meanwhile
                    rows.Add([s.Id, s.Time.UtcDateTime, s.CommitKind.ToString().ToUpperInvariant(), s.TotalRecordCount, s.DeltaRecordCount, s.ChangelogRecordCount, s.SchemaId, s.CommitUser, s.CommitIdentifier]);
                }
                Create(connection, schema, name,
                    [("id", "BIGINT"), ("time", "TIMESTAMP"), ("kind", "VARCHAR"), ("total_records", "BIGINT"), ("delta_records", "BIGINT"), ("changelog_records", "BIGINT"),
                     ("schema_id", "BIGINT"), ("commit_user", "VARCHAR"), ("commit_identifier", "BIGINT")], rows);
                break;
            }
            case SqlTableReference.Schemas:
            {
                var rows = new List<object?[]>();
                for (long id = 0; id <= table.Schema.Id; id++)
                {
                    TableSchema s;
                    try { s = await table.Schemas.GetAsync(id, ct).ConfigureAwait(false); }
                    catch (Core.TableStoreException) { continue; } // ids need not be dense
                    rows.Add([s.Id, string.Join(", ", s.Fields.Select(f => $"{f.Name} {f.Type}")), string.Join(",", s.PrimaryKeys), string.Join(",", s.PartitionKeys),
                        s.BucketCount, string.Join(",", s.Options.Select(o => $"{o.Key}={o.Value}")), DateTimeOffset.FromUnixTimeMilliseconds(s.TimeMillis).UtcDateTime]);
                }
                Create(connection, schema, name,
                    [("schema_id", "BIGINT"), ("fields", "VARCHAR"), ("primary_keys", "VARCHAR"), ("partition_keys", "VARCHAR"), ("buckets", "INTEGER"), ("options", "VARCHAR"), ("time", "TIMESTAMP")], rows);
                break;
            }
            case SqlTableReference.Tags:
            {
                var tags = await table.Tags.ListAsync(ct).ConfigureAwait(false);
                Create(connection, schema, name, [("tag", "VARCHAR"), ("snapshot_id", "BIGINT"), ("snapshot_time", "TIMESTAMP"), ("total_records", "BIGINT")],
                    [.. tags.Select(t => new object?[] { t.Name, t.Snapshot.Id, t.Snapshot.Time.UtcDateTime, t.Snapshot.TotalRecordCount })]);
                break;
            }
            case SqlTableReference.Consumers:
            {
                var consumers = await table.Consumers.ListAsync(ct).ConfigureAwait(false);
                Create(connection, schema, name, [("consumer", "VARCHAR"), ("next_snapshot", "BIGINT")], [.. consumers.Select(c => new object?[] { c.Id, c.NextSnapshot })]);
                break;
            }
            case SqlTableReference.Files:
            {
                var latest = await table.Snapshots.LatestAsync(ct).ConfigureAwait(false);
                var plan = await table.NewScan().PlanAsync(latest, null, ct).ConfigureAwait(false);
                var keys = table.Schema.PartitionKeys;
                var rows = plan.Splits.SelectMany(split => split.Files.Select(f => new object?[]
                {
                    string.Join("/", keys.Select((k, i) => $"{k}={Core.Data.Values.Format(split.Partition[i])}")), split.Bucket, f.FileName, f.Level, f.RowCount, f.FileSize,
                    f.MinSequence, f.MaxSequence, f.SchemaId, DateTimeOffset.FromUnixTimeMilliseconds(f.CreationTimeMillis).UtcDateTime,
                })).ToList();
                Create(connection, schema, name,
                    [("partition", "VARCHAR"), ("bucket", "INTEGER"), ("file_name", "VARCHAR"), ("level", "INTEGER"), ("row_count", "BIGINT"), ("file_size", "BIGINT"),
                     ("min_sequence", "BIGINT"), ("max_sequence", "BIGINT"), ("schema_id", "BIGINT"), ("creation_time", "TIMESTAMP")], rows);
                break;
            }
            case SqlTableReference.Manifests:
            {
                var rows = new List<object?[]>();
                if (await table.Snapshots.LatestAsync(ct).ConfigureAwait(false) is { } latest)
                    foreach (var (list, kind) in new[] { (latest.BaseManifestList, "base"), (latest.DeltaManifestList, "delta"), (latest.ChangelogManifestList, "changelog") })
                    {
                        if (list is null) continue;
                        foreach (var m in await table.Manifests.ReadManifestListAsync(list, ct).ConfigureAwait(false))
                            rows.Add([m.FileName, kind, m.FileSize, m.AddedFiles, m.DeletedFiles, m.SchemaId,
                                m.MinPartition is null ? null : string.Join(",", m.MinPartition.Select(Core.Data.Values.Format)), m.MaxPartition is null ? null : string.Join(",", m.MaxPartition.Select(Core.Data.Values.Format))]);
                    }
                Create(connection, schema, name,
                    [("file_name", "VARCHAR"), ("list", "VARCHAR"), ("file_size", "BIGINT"), ("added_files", "BIGINT"), ("deleted_files", "BIGINT"), ("schema_id", "BIGINT"),
                     ("min_partition", "VARCHAR"), ("max_partition", "VARCHAR")], rows);
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(reference), reference.Suffix, "Not a system table.");
        }
    }

    /// <summary>Streams each snapshot's changes into the table through DuckDB's appender: one snapshot's rows in memory at a time.</summary>
    private static async Task CreateChangesAsync(DuckDBConnection connection, string schema, string name, (long From, long To)? between, FileStoreTable table, CancellationToken ct)
    {
        var columns = new List<(string Name, string Type)> { ("_op", "VARCHAR"), ("_snapshot", "BIGINT") };
        columns.AddRange(table.Schema.Fields.Select(f => (f.Name, SqlViews.DuckType(f.Type))));
        CreateEmpty(connection, schema, name, columns);
        var ids = await table.Snapshots.ListIdsAsync(ct).ConfigureAwait(false);
        if (between is { } range && (ids.Count == 0 || range.From < ids[0] || range.To > ids[^1]))
            throw new Core.SnapshotNotFoundException($"{table.Identifier.FullName}$changes_{range.From}_{range.To}: the table retains snapshots {(ids.Count == 0 ? "none" : $"{ids[0]} to {ids[^1]}")}.");
        var changes = new Core.Streaming.SnapshotChanges(table);
        using var appender = connection.CreateAppender(schema, name);
        foreach (var id in ids.Where(i => between is not { } r || (i >= r.From && i <= r.To)))
        {
            if (await table.Snapshots.TryGetAsync(id, ct).ConfigureAwait(false) is not { } snapshot) continue;
            var batch = await changes.ReadAsync(snapshot, ct).ConfigureAwait(false);
            foreach (var change in batch.Rows)
            {
                var r = appender.CreateRow().AppendValue(change.Kind.ToShortString()).AppendValue(batch.SnapshotId);
                foreach (var value in change.Values) r = Append(r, value);
                r.EndRow();
            }
        }
    }

    private static void CreateEmpty(DuckDBConnection connection, string schema, string name, IReadOnlyList<(string Name, string Type)> columns)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"CREATE TABLE {SqlViews.Quote(schema)}.{SqlViews.Quote(name)} ({string.Join(", ", columns.Select(c => $"{SqlViews.Quote(c.Name)} {c.Type}"))})";
        command.ExecuteNonQuery();
    }

    private static IDuckDBAppenderRow Append(IDuckDBAppenderRow r, object? value) => value switch
    {
        null => r.AppendNullValue(),
        bool b => r.AppendValue(b),
        int i => r.AppendValue(i),
        long l => r.AppendValue(l),
        float f => r.AppendValue(f),
        double d => r.AppendValue(d),
        decimal m => r.AppendValue(m),
        string s => r.AppendValue(s),
        byte[] bytes => r.AppendValue(bytes),
        DateOnly d => r.AppendValue(d),
        DateTime t => r.AppendValue(t),
        _ => r.AppendValue(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    private static void Create(DuckDBConnection connection, string schema, string name, IReadOnlyList<(string Name, string Type)> columns, IReadOnlyList<object?[]> rows)
    {
        CreateEmpty(connection, schema, name, columns);
        using var appender = connection.CreateAppender(schema, name);
        foreach (var row in rows)
        {
            var r = appender.CreateRow();
            foreach (var value in row) r = Append(r, value);
            r.EndRow();
        }
    }
}
