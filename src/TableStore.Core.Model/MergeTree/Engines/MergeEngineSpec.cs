using TableStore.Core.Data;
using TableStore.Core.Schema;

namespace TableStore.Core.MergeTree.Engines;

/// <summary>
/// A primary-key table's merge engine with its per-column settings, checked against the columns when the
/// schema is built: which rows the engine accepts, how an input row is stored, and the merge function.
/// </summary>
public sealed class MergeEngineSpec
{
    private readonly TableSchema _schema;
    private readonly FieldAggregator?[] _aggregators;
    private readonly int[] _plainFields;
    private readonly (int Sequence, int[] Fields)[] _groups;

    // What the engine's merge functions are built from (MergeFunctions.Create, in TableStore.Core).
    internal FieldAggregator?[] Aggregators => _aggregators;
    internal int[] PlainFields => _plainFields;
    internal (int Sequence, int[] Fields)[] Groups => _groups;

    public MergeEngine Engine { get; }
    public int[] SequenceFields { get; }
    public bool IgnoreDelete { get; }
    public bool RemoveRecordOnDelete { get; }

    /// <summary>Whether the newest version of a key is always the merge result (lets readers stop at the first hit).</summary>
    public bool NewestWins => Engine == MergeEngine.Deduplicate && SequenceFields.Length == 0;

    public MergeEngineSpec(TableSchema schema)
    {
        _schema = schema;
        var o = schema.CoreOptions;
        Engine = o.MergeEngine;
        IgnoreDelete = o.IgnoreDelete;
        RemoveRecordOnDelete = o.RemoveRecordOnDelete;
        var keys = schema.KeyIndices.ToHashSet();
        int Column(string name, string option)
        {
            int i = schema.FieldIndex(name);
            if (i < 0) throw new InvalidInputException($"Table option '{option}' names '{name}', which is not a column (columns: {string.Join(", ", schema.Fields.Select(f => f.Name))}).");
            if (keys.Contains(i)) throw new InvalidInputException($"Table option '{option}' names primary-key column '{name}'; it must name a value column.");
            return i;
        }
        SequenceFields = o.SequenceFields.Select(n => Column(n, CoreOptions.SequenceFieldKey)).ToArray();

        _aggregators = new FieldAggregator?[schema.Fields.Length];
        var groups = new List<(int, int[])>();
        foreach (var (key, value) in schema.Options)
        {
            if (!key.StartsWith(CoreOptions.FieldsPrefix, StringComparison.Ordinal) || key == CoreOptions.DefaultAggregateFunctionKey) continue;
            if (key.EndsWith(CoreOptions.AggregateFunctionSuffix, StringComparison.Ordinal))
            {
                if (Engine != MergeEngine.Aggregation) throw new InvalidInputException($"Table option '{key}' needs merge-engine=aggregation.");
                int f = Column(key[CoreOptions.FieldsPrefix.Length..^CoreOptions.AggregateFunctionSuffix.Length], key);
                _aggregators[f] = FieldAggregator.Create(value, schema.Fields[f]);
            }
            else if (key.EndsWith(CoreOptions.SequenceGroupSuffix, StringComparison.Ordinal))
            {
                if (Engine != MergeEngine.PartialUpdate) throw new InvalidInputException($"Table option '{key}' needs merge-engine=partial-update.");
                int seq = Column(key[CoreOptions.FieldsPrefix.Length..^CoreOptions.SequenceGroupSuffix.Length], key);
                var members = value.Split(',').Select(x => x.Trim()).Where(x => x.Length > 0).Select(n => Column(n, key)).ToArray();
                if (members.Length == 0) throw new InvalidInputException($"Table option '{key}' lists no columns.");
                groups.Add((seq, members));
            }
        }
        _groups = [.. groups];
        var grouped = _groups.SelectMany(g => g.Fields.Append(g.Sequence)).ToList();
        if (grouped.Count != grouped.Distinct().Count())
            throw new InvalidInputException("A column belongs to more than one sequence group (fields.<column>.sequence-group).");
        _plainFields = Enumerable.Range(0, schema.Fields.Length).Where(i => !keys.Contains(i) && !grouped.Contains(i)).ToArray();

        if (Engine == MergeEngine.Aggregation)
        {
            var fallback = CoreOptions.DefaultAggregateFunctionOption.Read(schema.Options, o);
            for (int f = 0; f < _aggregators.Length; f++)
                if (!keys.Contains(f)) _aggregators[f] ??= FieldAggregator.Create(fallback, schema.Fields[f]);
        }
        else if (schema.Options.ContainsKey(CoreOptions.DefaultAggregateFunctionKey))
            throw new InvalidInputException($"Table option '{CoreOptions.DefaultAggregateFunctionKey}' needs merge-engine=aggregation.");
        if (RemoveRecordOnDelete && Engine != MergeEngine.Aggregation)
            throw new InvalidInputException($"Table option '{CoreOptions.RemoveRecordOnDeleteKey}' needs merge-engine=aggregation.");
        if (SequenceFields.Length > 0)
        {
            // Merges fold contiguous runs of versions; ordering by a column can put a late version between the
            // parts of a folded row, which only order-independent folds survive.
            if (Engine == MergeEngine.PartialUpdate)
                throw new InvalidInputException($"Table option '{CoreOptions.SequenceFieldKey}' cannot order a partial-update table; use sequence groups (fields.<column>.sequence-group=...) instead.");
            if (Engine == MergeEngine.Aggregation && _aggregators.FirstOrDefault(a => a is { OrderDependent: true }) is { } a)
                throw new InvalidInputException($"Table option '{CoreOptions.SequenceFieldKey}' cannot order an aggregation table with the order-dependent function {a.Name} (column '{schema.Fields[Array.IndexOf(_aggregators, a)].Name}'); use sum, count, min, max, bool_and or bool_or.");
        }
        if (Engine == MergeEngine.PartialUpdate)
            foreach (var f in _plainFields.Concat(_groups.SelectMany(g => g.Fields)))
                if (!schema.Fields[f].Type.Nullable)
                    throw new InvalidInputException($"Column '{schema.Fields[f].Name}' is NOT NULL, but a partial-update table leaves unset columns null: declare it nullable.");
    }

    /// <summary>Why the engine refuses a row of this kind (null: accepted). Checked before anything is written.</summary>
    public string? Rejects(RowKind kind, object?[] row)
    {
        if (!kind.IsRetract() || IgnoreDelete) return null;
        foreach (var f in SequenceFields)
            if (row[f] is null)
                return $"a {kind.ToShortString()} row must carry the sequence field '{_schema.Fields[f].Name}' (sequence.field orders every version, deletes included)";
        return Engine switch
        {
            MergeEngine.FirstRow => $"the first-row merge engine keeps the first row of a key and cannot take {kind.ToShortString()} rows; set ignore-delete=true to drop them",
            MergeEngine.Aggregation when kind == RowKind.Delete && RemoveRecordOnDelete => null,
            MergeEngine.Aggregation when _aggregators.FirstOrDefault(a => a is { CanRetract: false }) is { } a =>
                $"aggregate function {a.Name} of column '{_schema.Fields[Array.IndexOf(_aggregators, a)].Name}' cannot retract a {kind.ToShortString()} row; " +
                $"set ignore-delete=true to drop retractions{(kind == RowKind.Delete ? $", or {CoreOptions.RemoveRecordOnDeleteKey}=true to delete the key" : "")}",
            _ => null,
        };
    }

    /// <summary>
    /// The row as the LSM tree stores it, or false to drop it: retractions dropped with ignore-delete (and -U for
    /// partial-update, whose +U carries the new values); for aggregation, inputs become partial aggregates and
    /// retractions become negated inputs (in a copy: the caller's row may be written again); for the folding
    /// engines, upserts are stored as +U (merge into older).
    /// </summary>
    public bool Prepare(ref RowKind kind, ref object?[] row)
    {
        if (kind.IsRetract() && IgnoreDelete) return false;
        switch (Engine)
        {
            case MergeEngine.PartialUpdate:
                if (kind == RowKind.UpdateBefore) return false;
                if (kind != RowKind.Delete) kind = RowKind.UpdateAfter;
                return true;
            case MergeEngine.Aggregation:
                if (kind == RowKind.Delete && RemoveRecordOnDelete) return true;
                bool retract = kind.IsRetract();
                row = (object?[])row.Clone();
                for (int f = 0; f < row.Length; f++)
                    if (_aggregators[f] is { } a) row[f] = retract ? a.Retract(row[f]) : a.Init(row[f]);
                kind = RowKind.UpdateAfter;
                return true;
            default:
                return true;
        }
    }
}
