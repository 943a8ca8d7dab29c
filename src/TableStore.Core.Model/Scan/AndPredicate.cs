namespace TableStore.Core.Scan;

public sealed record AndPredicate(Predicate Left, Predicate Right) : Predicate
{
    public override bool? Evaluate(object?[] row)
    {
        var l = Left.Evaluate(row);
        if (l == false) return false;
        var r = Right.Evaluate(row);
        if (r == false) return false;
        return l == true && r == true ? true : null;
    }

    public override bool MightMatch(Func<int, ColumnRange> ranges) => Left.MightMatch(ranges) && Right.MightMatch(ranges);
    public override Predicate Negate() => new OrPredicate(Left.Negate(), Right.Negate());
    public override IEnumerable<int> ReferencedFields() => Left.ReferencedFields().Concat(Right.ReferencedFields());
}
