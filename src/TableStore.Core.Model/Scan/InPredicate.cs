using TableStore.Core.Data;

namespace TableStore.Core.Scan;

public sealed record InPredicate(int Field, string Column, IReadOnlyList<object> Literals, bool Negated) : Predicate
{
    public override bool? Evaluate(object?[] row)
    {
        var v = row[Field];
        if (v is null) return null;
        foreach (var l in Literals)
            if (Values.Compare(v, l) == 0) return !Negated;
        return Negated;
    }

    public override bool MightMatch(Func<int, ColumnRange> ranges)
    {
        var r = ranges(Field);
        if (r.AllNull) return false;
        if (!r.HasMinMax) return true;
        if (Negated)
            return !(Values.Compare(r.Min!, r.Max!) == 0 && Literals.Any(l => Values.Compare(l, r.Min!) == 0));
        return Literals.Any(l => Values.Compare(r.Min!, l) <= 0 && Values.Compare(r.Max!, l) >= 0);
    }

    public override Predicate Negate() => this with { Negated = !Negated };
    public override IEnumerable<int> ReferencedFields() => [Field];
}
