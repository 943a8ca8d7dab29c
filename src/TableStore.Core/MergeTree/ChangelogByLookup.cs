using TableStore.Core.Data;
using TableStore.Core.Schema;

namespace TableStore.Core.MergeTree;

/// <summary>
/// The <c>lookup</c> changelog producer: for each key of a flushed run, its value before (looked up at the write's
/// base snapshot, or taken from an earlier flush of the same write) and after (the merge engine applied to both),
/// giving exact +I, -U/+U or -D rows; a key whose value did not change gives none.
/// </summary>
internal sealed class ChangelogByLookup(TableSchema schema, KeyComparer keys, PreviousValueLookup previous)
{
    private readonly Dictionary<string, object?[]?> _current = new(StringComparer.Ordinal);

    public async Task<List<KeyValue>> ProduceAsync(IReadOnlyList<KeyValue> run, CancellationToken ct)
    {
        var changes = new List<KeyValue>();
        var merge = MergeFunctions.Create(schema);
        foreach (var version in run)
        {
            var key = keys.ExtractKey(version.Row);
            var text = string.Join("\u0001", key.Select(Values.Format));
            var before = _current.TryGetValue(text, out var known) ? known : await previous(key, ct).ConfigureAwait(false);
            merge.Reset();
            if (before is not null) merge.Add(new KeyValue(before, long.MinValue, RowKind.Insert));
            merge.Add(version);
            var after = merge.GetResult() is { } r && !r.Kind.IsRetract() ? r.Row : null;
            _current[text] = after;
            if (before is null && after is null) continue;
            if (before is null) changes.Add(new KeyValue(after!, version.Sequence, RowKind.Insert));
            else if (after is null) changes.Add(new KeyValue(before, version.Sequence, RowKind.Delete));
            else if (!before.SequenceEqual(after, ValueEquality.Instance))
            {
                changes.Add(new KeyValue(before, version.Sequence, RowKind.UpdateBefore));
                changes.Add(new KeyValue(after, version.Sequence, RowKind.UpdateAfter));
            }
        }
        return changes;
    }
}
