namespace TableStore.Abstractions;

/// <summary>
/// One SQL query (key: <see cref="GrainKeys.Query"/>, a fresh one per query), run on the silo that received it in an
/// embedded DuckDB over pinned snapshots, within the silo's time and memory limits, its result streamed back page by
/// page from the activation that holds the cursor.
/// </summary>
[Alias("TableStore.IQueryGrain")]
public interface IQueryGrain : IGrainWithStringKey
{
    [Alias("Query")] IAsyncEnumerable<QueryPage> QueryAsync(QueryRequest request);
}
