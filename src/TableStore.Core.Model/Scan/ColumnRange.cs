namespace TableStore.Core.Scan;

/// <summary>What is known about one column over a set of rows (a file, a partition): for pruning.</summary>
public readonly record struct ColumnRange(object? Min, object? Max, long NullCount, long RowCount)
{
    public static readonly ColumnRange Unknown = new(null, null, -1, -1);
    public bool HasMinMax => Min is not null && Max is not null;
    public bool NullCountKnown => NullCount >= 0 && RowCount >= 0;
    public bool AllNull => NullCountKnown && NullCount == RowCount;
}
