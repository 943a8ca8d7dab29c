using TableStore.Core.Tags;

namespace TableStore.Core.Scan;

/// <summary>What to read: which snapshot (default latest), which columns (default all), which rows.</summary>
public sealed record ScanOptions
{
    public long? SnapshotId { get; init; }
    public DateTimeOffset? AsOf { get; init; }
    /// <summary>Read the snapshot of this tag (see <see cref="Tags.TagManager"/>).</summary>
    public string? Tag { get; init; }
    public IReadOnlyList<string>? Columns { get; init; }
    public string? Filter { get; init; }
    public Predicate? Predicate { get; init; }
    public long? Limit { get; init; }
}

