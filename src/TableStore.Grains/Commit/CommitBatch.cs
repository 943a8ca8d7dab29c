using TableStore.Abstractions;

namespace TableStore.Grains.Commit;

/// <summary>A completed write waiting for its group commit, and the caller waiting for the answer.</summary>
internal sealed class PendingWrite(WriteTicket ticket)
{
    public WriteTicket Ticket { get; } = ticket;
    public TaskCompletionSource<WriteResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>The writes that will share one snapshot.</summary>
internal sealed class CommitBatch(long openedTimestamp)
{
    public List<PendingWrite> Writes { get; } = [];
    public long Bytes { get; private set; }
    public long OpenedTimestamp { get; } = openedTimestamp;
    public bool IsEmpty => Writes.Count == 0;

    public void Add(PendingWrite write)
    {
        Writes.Add(write);
        Bytes += write.Ticket.Bytes;
    }
}
