namespace TableStore.Core.Scan;

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
