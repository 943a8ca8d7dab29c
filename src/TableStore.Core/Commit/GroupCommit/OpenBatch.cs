namespace TableStore.Core.Commit.GroupCommit;

/// <summary>The writes that will share one snapshot.</summary>
internal sealed class OpenBatch(long openedTimestamp)
{
    public List<PendingWrite> Writes { get; } = [];
    public long Bytes { get; private set; }
    public long OpenedTimestamp { get; } = openedTimestamp;

    public void Add(PendingWrite write)
    {
        Writes.Add(write);
        Bytes += write.Write.Bytes;
    }
}
