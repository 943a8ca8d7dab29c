using System.Data.Common;
using DuckDB.NET.Data;
using System.Text.Json;
using TableStore.Core;
using TableStore.Core.IO;
using TableStore.Core.Manifest;
using TableStore.Core.Scan;
using TableStore.Core.Table;

namespace TableStore.Sql;

/// <summary>
/// One SQL query over a warehouse, in an embedded DuckDB: each table the query names becomes a view over the Parquet
/// files of one pinned snapshot (latest, or the one its <c>$snapshot_N</c>/<c>$tag_X</c>/<c>$as_of_T</c> names), merged
/// like the table merges; system tables (<c>$snapshots</c>…) are filled from the table's metadata. Then the session
/// is locked down: DuckDB may read those files and nothing else (no other file, no network, no extension, no
/// settings change), and write only <c>--out</c>.
/// </summary>
public sealed class SqlSession : IAsyncDisposable
{
    private readonly DuckDBConnection _connection;
    private readonly string? _staging;
    private readonly List<IDisposable> _disposables = [];

    private SqlSession(DuckDBConnection connection, string? staging, IReadOnlyList<SqlTableReference> tables, int files)
    {
        _connection = connection;
        _staging = staging;
        Tables = tables;
        FilesRead = files;
    }

    /// <summary>The tables the query names, as views or system tables.</summary>
    public IReadOnlyList<SqlTableReference> Tables { get; }

    /// <summary>Data files behind the views: what DuckDB may open (a filter's pruning then keeps it from opening some).</summary>
    public int FilesRead { get; }

    /// <summary>
    /// Prepares the tables <paramref name="sql"/> names; <paramref name="outFile"/> is the one file it may write (a
    /// <c>COPY … TO</c> of <see cref="CopyTo"/>), <paramref name="outDirectory"/> the one folder (an export).
    /// </summary>
    public static async Task<SqlSession> OpenAsync(Catalog catalog, string sql, SqlOptions options, string? outFile = null, string? outDirectory = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        options.Validate();
        var existing = (await catalog.ListTablesAsync(ct).ConfigureAwait(false)).ToHashSet();
        var references = SqlTableReference.Find(sql, existing.Contains);
        string? staging = null;
        var connection = new DuckDBConnection("Data Source=:memory:");
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            RequireOneQuery(connection, sql);
            var allowed = new List<string>();
            Task<string> LocalPath(string key, CancellationToken token)
            {
                if (catalog.Store.LocalPath(key) is { } local) return Task.FromResult(local);
                staging ??= Directory.CreateTempSubdirectory("tablestore-sql-").FullName;
                return StageAsync(catalog.Store, key, Path.Combine(staging, key), token);
            }
            foreach (var schema in references.Select(r => r.Id.Database).Distinct())
                Execute(connection, $"CREATE SCHEMA IF NOT EXISTS {SqlViews.Quote(schema)}");
            foreach (var reference in references)
            {
                var table = await catalog.GetTableAsync(reference.Id, ct).ConfigureAwait(false);
                var name = $"{SqlViews.Quote(reference.Id.Database)}.{SqlViews.Quote(reference.ViewName)}";
                if (reference.IsSystemTable)
                {
                    await SqlSystemTables.CreateAsync(connection, reference.Id.Database, reference.ViewName, reference, table, ct).ConfigureAwait(false);
                    continue;
                }
                var (snapshotId, tag, asOf) = reference.TimeTravel();
                var snapshot = await table.NewScan().ResolveSnapshotAsync(new ScanOptions { SnapshotId = snapshotId, Tag = tag, AsOf = asOf }, ct).ConfigureAwait(false);
                var (view, files) = await SqlViews.DataAsync(table, snapshot, latest: reference.Suffix.Length == 0, options.SystemColumns, LocalPath, ct).ConfigureAwait(false);
                Execute(connection, $"CREATE VIEW {name} AS {view}");
                allowed.AddRange(files);
            }
            if (outFile is not null) allowed.Add(Path.GetFullPath(outFile));
            if (outDirectory is not null) Execute(connection, $"SET allowed_directories = [{SqlViews.Literal(Path.GetFullPath(outDirectory) + Path.DirectorySeparatorChar)}]");
            Lockdown(connection, allowed, options);
            return new SqlSession(connection, staging, references, allowed.Distinct().Count() - (outFile is null ? 0 : 1));
        }
        catch (DuckDBException e)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            if (staging is not null) TryDelete(staging);
            throw new TableStoreException($"Preparing the query's tables failed: {e.Message}");
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            if (staging is not null) TryDelete(staging);
            throw;
        }
    }

    /// <summary>
    /// The text must be one query (a SELECT, a WITH … SELECT, a FROM-first query, …): anything else (COPY, INSERT,
    /// SET, ATTACH, a second statement) is refused before it runs. The sandbox would stop most of it, but not a COPY
    /// over a file the views may read. DuckDB's own parser decides (<c>json_serialize_sql</c> takes only queries); a
    /// text it cannot parse is left to fail when run, with DuckDB's message and caret.
    /// </summary>
    private static void RequireOneQuery(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT json_serialize_sql(CAST($1 AS VARCHAR))";
        command.Parameters.Add(new DuckDBParameter(sql));
        using var parsed = JsonDocument.Parse((string)command.ExecuteScalar()!);
        var root = parsed.RootElement;
        if (root.TryGetProperty("error", out var error) && error.GetBoolean())
        {
            var type = root.TryGetProperty("error_type", out var t) ? t.GetString() : null;
            if (type == "parser") return;
            throw new InvalidInputException("sql runs one query (SELECT, WITH … SELECT, FROM …); statements such as COPY, INSERT, CREATE, SET, ATTACH or INSTALL are refused.");
        }
        if (root.GetProperty("statements").GetArrayLength() != 1)
            throw new InvalidInputException("sql runs one statement, and this text has several: run them one at a time.");
    }

    /// <summary>Runs the query; DuckDB's errors (with the position in the query) come back as <see cref="InvalidInputException"/>.</summary>
    public DbDataReader ExecuteReader(string sql) => ExecuteReader(sql, CancellationToken.None);

    /// <summary>
    /// Runs the query, streaming: rows are produced as they are read, not held whole in DuckDB's memory. Cancelling
    /// <paramref name="ct"/> interrupts DuckDB (the reader's next read fails).
    /// </summary>
    public DbDataReader ExecuteReader(string sql, CancellationToken ct)
    {
        RequireOneQuery(_connection, sql);
        return Run(sql, ct);
    }

    /// <summary>Runs text this session made around a checked query (an EXPLAIN of it).</summary>
    private DuckDBDataReader Run(string sql, CancellationToken ct)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.UseStreamingMode = true;
        _disposables.Add(command);
        if (ct.CanBeCanceled) _disposables.Add(ct.Register(command.Cancel));
        try { return command.ExecuteReader(); }
        catch (DuckDBException e)
        {
            ct.ThrowIfCancellationRequested();
            throw Error(e);
        }
    }

    /// <summary>DuckDB's plan for the query (<c>EXPLAIN</c>, or with <paramref name="analyze"/> <c>EXPLAIN ANALYZE</c>: run, with what each operator read).</summary>
    public string Explain(string sql, bool analyze)
    {
        RequireOneQuery(_connection, sql);
        using var reader = Run($"EXPLAIN {(analyze ? "ANALYZE " : "")}{TrimStatement(sql)}", CancellationToken.None);
        var text = new System.Text.StringBuilder();
        while (reader.Read()) text.AppendLine(reader.GetString(reader.FieldCount - 1));
        return text.ToString();
    }

    /// <summary>Writes the query's result to <paramref name="outFile"/> as Parquet (the file given to <see cref="OpenAsync"/>); returns the rows written.</summary>
    public long CopyTo(string sql, string outFile)
    {
        RequireOneQuery(_connection, sql);
        // DuckDB writes beside an existing file first (tmp_<name>), which the sandbox does not allow: the old one goes.
        File.Delete(Path.GetFullPath(outFile));
        using var command = _connection.CreateCommand();
        command.CommandText = $"COPY ({TrimStatement(sql)}) TO {SqlViews.Literal(Path.GetFullPath(outFile))} (FORMAT parquet)";
        try { return command.ExecuteNonQuery(); }
        catch (DuckDBException e) { throw Error(e); }
    }

    /// <summary>
    /// Writes the query's result as zstd Parquet files of at most <paramref name="maxFileBytes"/> into
    /// <paramref name="directory"/> (inside the folder given to <see cref="OpenAsync"/>); returns the rows written.
    /// </summary>
    public long ExportTo(string sql, string directory, long maxFileBytes)
    {
        RequireOneQuery(_connection, sql);
        using var command = _connection.CreateCommand();
        command.CommandText = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"COPY ({TrimStatement(sql)}) TO {SqlViews.Literal(Path.GetFullPath(directory))} (FORMAT parquet, COMPRESSION zstd, FILE_SIZE_BYTES {maxFileBytes}, FILENAME_PATTERN 'data_{{i}}')");
        try { return command.ExecuteNonQuery(); }
        catch (DuckDBException e) { throw new InvalidInputException($"Export failed: {e.Message}"); }
    }

    /// <summary>
    /// DuckDB's error about the query (its message has the line and a caret) as bad input. Without DuckDB's exception
    /// inside: it must cross the wire from a silo, and only the message matters.
    /// </summary>
    public static InvalidInputException Error(DuckDBException e) => new($"SQL error: {e.Message}");

    public async ValueTask DisposeAsync()
    {
        // Commands and their interrupt registrations first: a deadline that fires later finds nothing to interrupt.
        foreach (var d in _disposables) d.Dispose();
        _disposables.Clear();
        await _connection.DisposeAsync().ConfigureAwait(false);
        if (_staging is not null) TryDelete(_staging);
    }

    private static string TrimStatement(string sql) => sql.Trim().TrimEnd(';').Trim();

    /// <summary>
    /// After this, DuckDB reads only <paramref name="allowed"/> (the views' files and the output), installs and loads
    /// no extension, and refuses any SET: a query cannot undo it (<c>lock_configuration</c>).
    /// </summary>
    private static void Lockdown(DuckDBConnection connection, List<string> allowed, SqlOptions options)
    {
        Execute(connection, "SET autoinstall_known_extensions = false");
        Execute(connection, "SET autoload_known_extensions = false");
        Execute(connection, $"SET memory_limit = {SqlViews.Literal(options.MemoryLimit)}");
        if (options.Threads is { } threads) Execute(connection, $"SET threads = {threads}");
        if (allowed.Count > 0) Execute(connection, $"SET allowed_paths = [{string.Join(", ", allowed.Select(SqlViews.Literal))}]");
        Execute(connection, "SET enable_external_access = false");
        Execute(connection, "SET lock_configuration = true");
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Copies an object to <paramref name="path"/> (a temporary name first, so a file there is always whole).</summary>
    private static async Task<string> StageAsync(IObjectStore store, string key, string path, CancellationToken ct)
    {
        if (File.Exists(path)) return path;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var partial = path + ".partial";
        var stream = await store.OpenReadAsync(key, ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var file = File.Create(partial);
            await using (file.ConfigureAwait(false)) await stream.CopyToAsync(file, ct).ConfigureAwait(false);
        }
        File.Move(partial, path, overwrite: true);
        return path;
    }

    private static void TryDelete(string directory)
    {
        try { Directory.Delete(directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
