using TableStore.Abstractions;
using TableStore.Core;

namespace TableStore.Client;

/// <summary>SQL through the cluster: a query runs on a silo (<see cref="IQueryGrain"/>) and its result comes back page by page.</summary>
public sealed partial class TableStoreClient
{
    /// <summary>
    /// Runs one SQL statement on a silo over pinned snapshots of the warehouse's tables (<c>db.table</c>,
    /// <c>db."table$snapshot_N"</c>, system tables…; docs/architecture.md, "SQL"). The query has the silo's memory limit
    /// and runs at most <paramref name="timeout"/> (capped by the silo's <c>TableStore:QueryTimeout</c>). Errors in the
    /// query come back as <see cref="InvalidInputException"/> with DuckDB's message and position.
    /// </summary>
    public async Task<QueryOutcome> QueryAsync(string sql, TimeSpan? timeout = null, bool systemColumns = false, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        var request = new QueryRequest(sql) { Timeout = timeout, SystemColumns = systemColumns };
        // The first page waits for the whole plan (and for an aggregate, the whole query): it gets the query's own deadline.
        var firstPage = (timeout ?? _options.CallTimeout) + _options.CallTimeout;
        var e = _grains.GetGrain<IQueryGrain>(GrainKeys.Query()).QueryAsync(request).GetAsyncEnumerator(ct);
        try
        {
            if (!await e.MoveNextAsync().AsTask().WaitAsync(firstPage, ct).ConfigureAwait(false) || e.Current.Columns is null)
                throw new TableStoreException("The query returned no columns (a service bug).");
        }
        catch (TimeoutException t)
        {
            await e.DisposeAsync().ConfigureAwait(false);
            throw NoAnswer("answer the query", t);
        }
        catch
        {
            await e.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var first = e.Current;
        return new QueryOutcome(first.Columns!, first.FilesRead, QueryRows(e, first.Rows, ct));
    }

    private async IAsyncEnumerable<object?[]> QueryRows(IAsyncEnumerator<QueryPage> pages, object?[][] first, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var _ = pages.ConfigureAwait(false);
        foreach (var row in first) yield return row;
        while (await NextQueryPageAsync(pages, ct).ConfigureAwait(false))
            foreach (var row in pages.Current.Rows) yield return row;
    }

    private async Task<bool> NextQueryPageAsync(IAsyncEnumerator<QueryPage> pages, CancellationToken ct)
    {
        try { return await pages.MoveNextAsync().AsTask().WaitAsync(_options.CallTimeout, ct).ConfigureAwait(false); }
        catch (TimeoutException e) { throw NoAnswer("send the next rows of the query", e); }
    }
}

/// <summary>A query's result: its columns, the data files its tables' views read, and the rows as they come.</summary>
public sealed record QueryOutcome(IReadOnlyList<QueryColumn> Columns, int FilesRead, IAsyncEnumerable<object?[]> Rows);
