namespace TableStore.Core.Maintenance;

/// <param name="OlderThan">Only files last modified longer ago than this are touched: a commit in flight
/// writes its files before its snapshot names them, and must not lose them.</param>
public sealed record OrphanCleanOptions(TimeSpan OlderThan, bool DryRun = false)
{
    public static readonly TimeSpan DefaultOlderThan = TimeSpan.FromDays(1);
}
