namespace TableStore.Core.Maintenance;

/// <summary>Which snapshots to keep: the last <see cref="RetainLast"/>, and (when set) every one younger than <see cref="OlderThan"/>.</summary>
public sealed record ExpireOptions(int RetainLast, TimeSpan? OlderThan = null)
{
    /// <summary>Keeps at most this many snapshots, even young ones (the table option <c>snapshot.num-retained.max</c>).</summary>
    public int RetainMax { get; init; } = int.MaxValue;

    /// <summary>The table's own retention options: <c>snapshot.num-retained.min/max</c> and <c>snapshot.time-retained</c>.</summary>
    public static ExpireOptions FromTable(Schema.CoreOptions o) => new(o.RetainedMin, o.TimeRetained) { RetainMax = o.RetainedMax };
}
