using TableStore.Core.Format;

namespace TableStore.Core.MergeTree;

/// <summary>
/// A piece of a merge's result in key order: picks that name a winning version in a run's current batch, or carry a
/// merged row. Valid until the merge reader is asked for its next segment.
/// </summary>
public sealed class MergeSegment(ColumnBatch?[] runs)
{
    public List<MergePick> Picks { get; } = [];

    public int Count => Picks.Count;

    /// <summary>The full-width row of pick <paramref name="i"/> (read columns filled), boxed now.</summary>
    public object?[] Row(int i) => Picks[i] is { Merged: { } merged } ? merged.Row : runs[Picks[i].Run]!.Row(Picks[i].Row);

    /// <summary>Appends pick <paramref name="i"/> to a memtable: copied from its run's columns, unboxed, or a merged row.</summary>
    internal void CopyTo(int i, Memtable target)
    {
        var p = Picks[i];
        if (p.Merged is { } merged) target.Add(merged.Kind, merged.Row, merged.Sequence);
        else target.Add(runs[p.Run]!, p.Row);
    }

    /// <summary>Pick <paramref name="i"/> as a version (row, sequence, kind), for writers of merged runs and readers of changes.</summary>
    public KeyValue Version(int i)
    {
        var p = Picks[i];
        if (p.Merged is { } merged) return merged;
        var batch = runs[p.Run]!;
        return new KeyValue(batch.Row(p.Row), batch.Sequences[p.Row], batch.Kind(p.Row));
    }
}
