namespace TableStore.Core.Scan;

/// <summary>Kept in the tree for evaluation; pruning uses the pushed-down negation.</summary>
public sealed record NotPredicate(Predicate Inner) : Predicate
{
    public override bool? Evaluate(object?[] row) => Inner.Evaluate(row) is { } b ? !b : null;
    public override bool MightMatch(Func<int, ColumnRange> ranges) => Inner.Negate().MightMatch(ranges);
    public override Predicate Negate() => Inner;
    public override IEnumerable<int> ReferencedFields() => Inner.ReferencedFields();
}
