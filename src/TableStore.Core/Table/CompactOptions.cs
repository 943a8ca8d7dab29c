using TableStore.Core.Manifest;

namespace TableStore.Core.Table;

/// <summary>What to compact: every bucket or some partitions or buckets; universal picks or everything.</summary>
public sealed record CompactOptions
{
    /// <summary>Rewrite each selected bucket into one run (dropping retractions), not only what the triggers pick.</summary>
    public bool Full { get; init; }
    public PartitionSpec Partitions { get; init; } = PartitionSpec.All;
    /// <summary>Only these buckets (e.g. those a write just touched); null: all.</summary>
    public IReadOnlySet<(PartitionKey Partition, int Bucket)>? Buckets { get; init; }
    public IProgress<CompactProgress>? Progress { get; init; }
    /// <summary>How often a compaction whose inputs were removed meanwhile (by another compaction) is planned again.</summary>
    public int MaxAttempts { get; init; } = 3;
}
