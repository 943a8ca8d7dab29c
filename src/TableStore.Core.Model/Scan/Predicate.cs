using TableStore.Core.Data;
using TableStore.Core.Schema;

namespace TableStore.Core.Scan;

public enum CompareOp { Eq, NotEq, Lt, LtEq, Gt, GtEq }

/// <summary>What is known about one column over a set of rows (a file, a partition): for pruning.</summary>
public readonly record struct ColumnRange(object? Min, object? Max, long NullCount, long RowCount)
{
    public static readonly ColumnRange Unknown = new(null, null, -1, -1);
    public bool HasMinMax => Min is not null && Max is not null;
    public bool NullCountKnown => NullCount >= 0 && RowCount >= 0;
    public bool AllNull => NullCountKnown && NullCount == RowCount;
}

/// <summary>
/// A filter bound to a schema: column positions resolved, literals typed. Rows are filtered with SQL
/// three-valued logic (a comparison with null is unknown, and unknown rows are dropped).
/// </summary>
public abstract record Predicate
{
    /// <summary>True, false or null (unknown) for one row.</summary>
    public abstract bool? Evaluate(object?[] row);

    /// <summary>False only when no row described by <paramref name="ranges"/> can match.</summary>
    public abstract bool MightMatch(Func<int, ColumnRange> ranges);

    /// <summary>The predicate that holds exactly where this one is false (Kleene negation), for pushing NOT down.</summary>
    public abstract Predicate Negate();

    public abstract IEnumerable<int> ReferencedFields();

    public bool Matches(object?[] row) => Evaluate(row) == true;

    public static Predicate And(Predicate a, Predicate b) => new AndPredicate(a, b);
}

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

/// <summary>Kept in the tree for evaluation; pruning uses the pushed-down negation.</summary>
public sealed record NotPredicate(Predicate Inner) : Predicate
{
    public override bool? Evaluate(object?[] row) => Inner.Evaluate(row) is { } b ? !b : null;
    public override bool MightMatch(Func<int, ColumnRange> ranges) => Inner.Negate().MightMatch(ranges);
    public override Predicate Negate() => Inner;
    public override IEnumerable<int> ReferencedFields() => Inner.ReferencedFields();
}
