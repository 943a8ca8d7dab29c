namespace TableStore.Core.Maintenance;

public sealed record OrphanCleanOutcome(IReadOnlyList<OrphanFile> Orphans, bool Deleted, int YoungerSkipped)
{
    public long Bytes => Orphans.Sum(o => o.Size);
}
