using TableStore.Core.Data;
using TableStore.Core.Schema;

namespace TableStore.Core.MergeTree.Engines;

/// <summary>
/// One column's aggregate function in the <c>aggregation</c> merge engine. Stored values are partial aggregates,
/// so the function must be associative: merging runs in any grouping gives the same result as folding the
/// rows one by one. Nulls are ignored except by <c>last_value</c>.
/// </summary>
public abstract class FieldAggregator
{
    public abstract string Name { get; }

    /// <summary>Turns an input value into a partial aggregate (only <c>count</c> changes it: a value counts 1).</summary>
    public virtual object? Init(object? value) => value;

    public abstract object? Aggregate(object? accumulator, object? value);

    /// <summary>
    /// Whether the result depends on the order of the inputs (<c>last_value</c>, <c>last_non_null_value</c>). Such
    /// functions cannot follow <c>sequence.field</c>: a folded row would have to be split again to put a late
    /// input between its parts.
    /// </summary>
    public virtual bool OrderDependent => false;

    /// <summary>Whether -U/-D rows can be folded in as negated inputs.</summary>
    public virtual bool CanRetract => false;

    public virtual object? Retract(object? value) => throw new InvalidOperationException($"{Name} cannot retract.");

    public static readonly IReadOnlyList<string> Names = ["sum", "min", "max", "last_value", "last_non_null_value", "count", "bool_and", "bool_or"];

    public static FieldAggregator Create(string name, DataField field) => (name.Trim().ToLowerInvariant(), field.Type.Kind) switch
    {
        ("sum", DataTypeKind.Int or DataTypeKind.BigInt or DataTypeKind.Float or DataTypeKind.Double or DataTypeKind.Decimal) => new Sum(),
        ("count", DataTypeKind.Int or DataTypeKind.BigInt) => new Count(field.Type.Kind),
        ("min", not DataTypeKind.Bytes) => new MinMax("min", -1),
        ("max", not DataTypeKind.Bytes) => new MinMax("max", 1),
        ("last_value", _) => new LastValue(),
        ("last_non_null_value", _) => new LastNonNullValue(),
        ("bool_and", DataTypeKind.Boolean) => new BoolAndOr("bool_and", and: true),
        ("bool_or", DataTypeKind.Boolean) => new BoolAndOr("bool_or", and: false),
        (var n, _) when Names.Contains(n) => throw new InvalidInputException($"Aggregate function '{n}' does not apply to column '{field.Name}' of type {field.Type.TypeName}."),
        (var n, _) => throw new InvalidInputException($"Unknown aggregate function '{n}' for column '{field.Name}'; supported: {string.Join(", ", Names)}."),
    };

    private sealed class Sum : FieldAggregator
    {
        public override string Name => "sum";
        public override bool CanRetract => true;

        // Integer sums wrap like Java's (and Paimon's) instead of failing a read or a compaction long after the write.
        public override object? Aggregate(object? acc, object? v) => (acc, v) switch
        {
            (null, _) => v,
            (_, null) => acc,
            (int a, int b) => unchecked(a + b),
            (long a, long b) => unchecked(a + b),
            (float a, float b) => a + b,
            (double a, double b) => a + b,
            (decimal a, decimal b) => a + b,
            _ => throw new InvalidOperationException($"sum of {acc.GetType().Name} and {v.GetType().Name}"),
        };

        public override object? Retract(object? v) => v switch
        {
            null => null,
            int i => unchecked(-i),
            long l => unchecked(-l),
            float f => -f,
            double d => -d,
            decimal m => -m,
            _ => throw new InvalidOperationException($"negate {v.GetType().Name}"),
        };
    }

    /// <summary>Counts the rows with a non-null value in the column; stored counts add up.</summary>
    private sealed class Count(DataTypeKind kind) : FieldAggregator
    {
        public override string Name => "count";
        public override bool CanRetract => true;
        public override object? Init(object? v) => kind == DataTypeKind.Int ? (object)(v is null ? 0 : 1) : (v is null ? 0L : 1L);
        public override object? Aggregate(object? acc, object? v) => (acc, v) switch
        {
            (null, _) => v,
            (_, null) => acc,
            (int a, int b) => unchecked(a + b),
            (long a, long b) => unchecked(a + b),
            _ => throw new InvalidOperationException($"count of {acc.GetType().Name} and {v.GetType().Name}"),
        };
        public override object? Retract(object? v) => kind == DataTypeKind.Int ? (object)(v is null ? 0 : -1) : (v is null ? 0L : -1L);
    }

    private sealed class MinMax(string name, int sign) : FieldAggregator
    {
        public override string Name => name;
        public override object? Aggregate(object? acc, object? v) =>
            acc is null ? v : v is null ? acc : Values.Compare(v, acc) * sign > 0 ? v : acc;
    }

    private sealed class LastValue : FieldAggregator
    {
        public override string Name => "last_value";
        public override bool OrderDependent => true;
        public override object? Aggregate(object? acc, object? v) => v;
    }

    private sealed class LastNonNullValue : FieldAggregator
    {
        public override string Name => "last_non_null_value";
        public override bool OrderDependent => true;
        public override object? Aggregate(object? acc, object? v) => v ?? acc;
    }

    private sealed class BoolAndOr(string name, bool and) : FieldAggregator
    {
        public override string Name => name;
        public override object? Aggregate(object? acc, object? v) =>
            acc is null ? v : v is null ? acc : and ? (bool)acc && (bool)v : (bool)acc || (bool)v;
    }
}
