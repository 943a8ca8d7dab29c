using TableStore.Core.Data;
using TableStore.Core.Manifest;

namespace TableStore.Core.Streaming;

/// <summary>
/// What one snapshot changed, as rows with their kinds (+I, -U, +U, -D), in the order a consumer applies them.
/// <see cref="IsFullSnapshot"/>: the whole table at the snapshot as +I rows (the start of <c>latest-full</c> or
/// <c>earliest</c>), not a change.
/// </summary>
public sealed record ChangeBatch(long SnapshotId, CommitKind Kind, long TimeMillis, IReadOnlyList<ChangeRow> Rows)
{
    public bool IsFullSnapshot { get; init; }
}
