using TableStore.Core.Api;
using TableStore.Abstractions;

namespace TableStore.Grains.Commit;

/// <summary>
/// The one committer of a table (key: <c>db.table</c>). Collects completed writes into group-commit batches, commits
/// each batch as one snapshot with the core commit protocol, and answers every write of the batch with that snapshot.
/// </summary>
[Alias("TableStore.ICommitGrain")]
public interface ICommitGrain : IGrainWithStringKey
{
    /// <summary>Completes when the write is in a committed snapshot; fails, with nothing visible, when it cannot be.</summary>
    /// <remarks>A staged write's rows are read and written at its commit: that may take minutes.</remarks>
    [Alias("Complete"), ResponseTimeout("01:00:00")] Task<WriteOutcome> CompleteAsync(WriteTicket ticket);

    /// <summary>
    /// The snapshot that committed this write: among the recent ones this committer remembers, else among those
    /// committed since <paramref name="notBeforeMillis"/> (Unix ms), when given.
    /// </summary>
    [Alias("FindCommittedSince")] Task<long?> FindCommittedAsync(string writeId, long? notBeforeMillis);

    /// <summary>Commits what is waiting now, without waiting for the interval; completes when it is committed (or failed).</summary>
    [Alias("Flush")] Task FlushAsync();

    /// <summary>The table is gone: fail waiting writes with <paramref name="reason"/> and deactivate.</summary>
    [Alias("Close")] Task CloseAsync(string reason);
}
