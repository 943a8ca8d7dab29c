using TableStore.Core.Data;

namespace TableStore.Core.Scan;

public sealed record ComparePredicate(int Field, string Column, CompareOp Op, object Literal) : Predicate
{
    public override bool? Evaluate(object?[] row)
    {
        var v = row[Field];
        if (v is null) return null;
        int c = Values.Compare(v, Literal);
        return Op switch
        {
            CompareOp.Eq => c == 0,
            CompareOp.NotEq => c != 0,
            CompareOp.Lt => c < 0,
            CompareOp.LtEq => c <= 0,
            CompareOp.Gt => c > 0,
            _ => c >= 0,
        };
    }

    public override bool MightMatch(Func<int, ColumnRange> ranges)
    {
        var r = ranges(Field);
        if (r.AllNull) return false;
        if (!r.HasMinMax) return true;
        int lo = Values.Compare(r.Min!, Literal), hi = Values.Compare(r.Max!, Literal);
        return Op switch
        {
            CompareOp.Eq => lo <= 0 && hi >= 0,
            CompareOp.NotEq => !(lo == 0 && hi == 0),
            CompareOp.Lt => lo < 0,
            CompareOp.LtEq => lo <= 0,
            CompareOp.Gt => hi > 0,
            _ => hi >= 0,
        };
    }

    public override Predicate Negate() => this with
    {
        Op = Op switch
        {
            CompareOp.Eq => CompareOp.NotEq,
            CompareOp.NotEq => CompareOp.Eq,
            CompareOp.Lt => CompareOp.GtEq,
            CompareOp.LtEq => CompareOp.Gt,
            CompareOp.Gt => CompareOp.LtEq,
            _ => CompareOp.Lt,
        },
    };

    public override IEnumerable<int> ReferencedFields() => [Field];
}
