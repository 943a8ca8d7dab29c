namespace TableStore.Core.Scan;

public sealed record NullPredicate(int Field, string Column, bool IsNull) : Predicate
{
    public override bool? Evaluate(object?[] row) => (row[Field] is null) == IsNull;

    public override bool MightMatch(Func<int, ColumnRange> ranges)
    {
        var r = ranges(Field);
        if (!r.NullCountKnown) return true;
        return IsNull ? r.NullCount > 0 : r.NullCount < r.RowCount;
    }

    public override Predicate Negate() => this with { IsNull = !IsNull };
    public override IEnumerable<int> ReferencedFields() => [Field];
}
