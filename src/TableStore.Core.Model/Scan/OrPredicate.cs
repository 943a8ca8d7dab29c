namespace TableStore.Core.Scan;

public sealed record OrPredicate(Predicate Left, Predicate Right) : Predicate
{
    public override bool? Evaluate(object?[] row)
    {
        var l = Left.Evaluate(row);
        if (l == true) return true;
        var r = Right.Evaluate(row);
        if (r == true) return true;
        return l == false && r == false ? false : null;
    }

    public override bool MightMatch(Func<int, ColumnRange> ranges) => Left.MightMatch(ranges) || Right.MightMatch(ranges);
    public override Predicate Negate() => new AndPredicate(Left.Negate(), Right.Negate());
    public override IEnumerable<int> ReferencedFields() => Left.ReferencedFields().Concat(Right.ReferencedFields());
}
