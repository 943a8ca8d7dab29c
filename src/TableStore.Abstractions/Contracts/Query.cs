namespace TableStore.Abstractions;

/// <summary>A SQL query for a silo (<see cref="IQueryGrain"/>): one statement, over the warehouse's tables.</summary>
[GenerateSerializer, Immutable, Alias("TableStore.QueryRequest")]
public sealed record QueryRequest([property: Id(0)] string Sql)
{
    /// <summary>How long the query may run; null or longer than the silo allows (<c>TableStore:QueryTimeout</c>): the silo's limit.</summary>
    [Id(1)] public TimeSpan? Timeout { get; init; }

    /// <summary>Primary-key tables also show <c>_SEQUENCE_NUMBER</c> and <c>_VALUE_KIND</c>.</summary>
    [Id(2)] public bool SystemColumns { get; init; }
}

/// <summary>A result column: its name, and whether it holds numbers (grids right-align them).</summary>
[GenerateSerializer, Immutable, Alias("TableStore.QueryColumn")]
public sealed record QueryColumn([property: Id(0)] string Name, [property: Id(1)] bool IsNumber);

/// <summary>
/// One page of a query's result; the first carries the <see cref="Columns"/> and how many data files the query's
/// views read (even with no rows). Values are the engine's types (as scan rows), or text where it has none.
/// </summary>
[GenerateSerializer, Immutable, Alias("TableStore.QueryPage")]
public sealed record QueryPage([property: Id(0)] IReadOnlyList<QueryColumn>? Columns, [property: Id(1)] object?[][] Rows)
{
    [Id(2)] public int FilesRead { get; init; }
}
