namespace TableStore.Abstractions;

/// <summary>One column of a new table: its name and its type as the CLI writes it (<c>BIGINT NOT NULL</c>, <c>DECIMAL(10,2)</c>).</summary>
[GenerateSerializer, Immutable, Alias("TableStore.ColumnSpec")]
public sealed record ColumnSpec([property: Id(0)] string Name, [property: Id(1)] string Type);

