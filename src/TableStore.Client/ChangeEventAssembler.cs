using TableStore.Abstractions;

namespace TableStore.Client;

/// <summary>
/// Joins the parts of a snapshot's change event as they arrive from the stream. A snapshot whose parts do not all
/// come (a lost message) is never delivered from here: the subscription reads it from the lake, and its parts are
/// dropped once the subscription is past it.
/// </summary>
internal sealed class ChangeEventAssembler
{
    private readonly Dictionary<long, ChangeEvent?[]> _partial = [];

    /// <summary>The whole event once <paramref name="part"/> completes it, else null.</summary>
    public ChangeEvent? Add(ChangeEvent part)
    {
        if (!part.IsPart) return part;
        if (!_partial.TryGetValue(part.SnapshotId, out var parts) || parts.Length != part.Parts)
            _partial[part.SnapshotId] = parts = new ChangeEvent?[part.Parts];
        if (part.Part < 0 || part.Part >= parts.Length) return null;
        parts[part.Part] = part;
        if (parts.Any(p => p is null)) return null;
        _partial.Remove(part.SnapshotId);
        return ChangeEvent.Join(parts!);
    }

    /// <summary>Forgets the parts of snapshots before <paramref name="next"/>: delivered already, from the lake.</summary>
    public void DropBefore(long next)
    {
        foreach (var stale in _partial.Keys.Where(k => k < next).ToList()) _partial.Remove(stale);
    }
}
