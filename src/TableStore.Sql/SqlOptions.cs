namespace TableStore.Sql;

/// <summary>How a SQL query runs: DuckDB's resources, and whether the tables show their system columns.</summary>
public sealed record SqlOptions
{
    /// <summary>DuckDB's memory limit (its <c>memory_limit</c> syntax, e.g. <c>1GB</c>): beyond it, operators spill or the query fails.</summary>
    public string MemoryLimit { get; init; } = "2GB";

    /// <summary>DuckDB's worker threads; null: one per core.</summary>
    public int? Threads { get; init; }

    /// <summary>Primary-key tables also show <c>_SEQUENCE_NUMBER</c> and <c>_VALUE_KIND</c> of each key's winning row.</summary>
    public bool SystemColumns { get; init; }

    /// <summary>Throws <see cref="Core.InvalidInputException"/> naming an invalid option.</summary>
    public void Validate()
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(MemoryLimit, @"^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$", System.Text.RegularExpressions.RegexOptions.IgnoreCase))
            throw new Core.InvalidInputException($"Invalid memory limit '{MemoryLimit}': expected a size such as 512MB or 2GB.");
        if (Threads is < 1) throw new Core.InvalidInputException($"Threads must be at least 1, not {Threads}.");
    }
}
