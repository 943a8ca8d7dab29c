using System.Data.Common;
using System.Globalization;
using DuckDB.NET.Data;
using Orleans.Placement;
using TableStore.Abstractions;
using TableStore.Core;
using TableStore.Sql;

namespace TableStore.Grains.Query;

/// <summary>
/// One SQL query, on the silo that received it: a <see cref="SqlSession"/> over the silo's warehouse with DuckDB's
/// memory limit (<c>TableStore:QueryMemoryLimit</c>), interrupted at its deadline (the client's, at most
/// <c>TableStore:QueryTimeout</c>); the result goes back <see cref="PageRows"/> rows at a time, read on the thread pool
/// so a long query never holds the grain's scheduler. The activation goes away after the last page.
/// </summary>
[PreferLocalPlacement]
internal sealed class QueryGrain(TableStoreRuntime runtime) : Grain, IQueryGrain
{
    private const int PageRows = 1024;

    public async IAsyncEnumerable<QueryPage> QueryAsync(QueryRequest request)
    {
        try
        {
            if (string.IsNullOrWhiteSpace(request.Sql)) throw new InvalidInputException("The query is empty.");
            var limit = runtime.Options.QueryTimeout;
            var timeout = request.Timeout is { } asked && asked > TimeSpan.Zero && asked < limit ? asked : limit;
            using var deadline = new CancellationTokenSource(timeout);
            var options = new SqlOptions { MemoryLimit = runtime.Options.QueryMemoryLimit, SystemColumns = request.SystemColumns };
            // Preparing reads manifests and may fill system tables from the whole history: off the grain's scheduler too.
            await using var session = await Run(() => Task.Run(() => SqlSession.OpenAsync(runtime.Catalog, request.Sql, options, ct: deadline.Token)), timeout).ConfigureAwait(true);
            using var reader = await Run(() => Task.Run(() => session.ExecuteReader(request.Sql, deadline.Token)), timeout).ConfigureAwait(true);
            IReadOnlyList<QueryColumn>? columns = [.. Enumerable.Range(0, reader.FieldCount).Select(i => new QueryColumn(reader.GetName(i), SqlValues.IsNumber(reader.GetFieldType(i))))];
            while (true)
            {
                var rows = await Run(() => Task.Run(() => ReadPage(reader)), timeout).ConfigureAwait(true);
                if (rows.Length == 0 && columns is null) break;
                yield return new QueryPage(columns, rows) { FilesRead = columns is null ? 0 : session.FilesRead };
                columns = null;
                if (rows.Length < PageRows) break;
            }
        }
        finally
        {
            DeactivateOnIdle(); // one query per activation
        }
    }

    private static object?[][] ReadPage(DbDataReader reader)
    {
        var rows = new List<object?[]>(PageRows);
        while (rows.Count < PageRows && reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (int i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : SqlValues.ToEngine(reader.GetValue(i));
            rows.Add(row);
        }
        return [.. rows];
    }

    /// <summary>
    /// A step of the query. DuckDB's errors become the query's errors (bad input); one that failed because the deadline
    /// interrupted DuckDB says so, and that retrying the same query will not help.
    /// </summary>
    private static async Task<T> Run<T>(Func<Task<T>> step, TimeSpan timeout)
    {
        try { return await step().ConfigureAwait(true); }
        catch (OperationCanceledException) { throw TooLong(timeout); }
        catch (DuckDBException e) when (e.Message.Contains("Interrupt", StringComparison.OrdinalIgnoreCase)) { throw TooLong(timeout); }
        catch (DuckDBException e) { throw SqlSession.Error(e); }
    }

    private static TableStoreException TooLong(TimeSpan timeout) => new TableStoreException(string.Create(CultureInfo.InvariantCulture,
        $"The query ran longer than its time limit ({timeout.TotalSeconds:0.#} s; TableStore:QueryTimeout on the silo, or the client's): narrow it (filters on partition and key columns prune files), or run it with 'tablestore sql' next to the warehouse.")).WithRetryable(false);
}
