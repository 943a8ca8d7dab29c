using System.Globalization;
using DuckDB.NET.Data;
using TableStore.Core.Schema;
using TableStore.Core.Table;

namespace TableStore.Sql;

/// <summary>
/// A table's metadata as tables: <c>$snapshots</c>, <c>$schemas</c>, <c>$tags</c>, <c>$files</c> (the latest
/// snapshot's live data files) and <c>$consumers</c>, with the columns of the CLI's own listings where it has one
/// (<c>snapshots</c>, <c>tag list</c>, <c>consumer list</c>).
/// </summary>
internal static class SqlSystemTables
{
    public static async Task CreateAsync(DuckDBConnection connection, string schema, string name, string kind, FileStoreTable table, CancellationToken ct)
    {
        switch (kind)
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
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a system table.");
        }
    }

    private static void Create(DuckDBConnection connection, string schema, string name, IReadOnlyList<(string Name, string Type)> columns, IReadOnlyList<object?[]> rows)
    {
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"CREATE TABLE {SqlViews.Quote(schema)}.{SqlViews.Quote(name)} ({string.Join(", ", columns.Select(c => $"{SqlViews.Quote(c.Name)} {c.Type}"))})";
            command.ExecuteNonQuery();
        }
        using var appender = connection.CreateAppender(schema, name);
        foreach (var row in rows)
        {
            var r = appender.CreateRow();
            foreach (var value in row)
                r = value switch
                {
                    null => r.AppendNullValue(),
                    long l => r.AppendValue(l),
                    int i => r.AppendValue(i),
                    string s => r.AppendValue(s),
                    DateTime t => r.AppendValue(t),
                    _ => r.AppendValue(Convert.ToString(value, CultureInfo.InvariantCulture)),
                };
            r.EndRow();
        }
    }
}
