namespace TableStore.Core.Commit;

/// <summary>
/// Commits prepared files, and prepares them again when another writer committed rows to one of the same
/// primary-key buckets meanwhile (<see cref="SequenceConflictException"/>: our sequence numbers are no longer the
/// highest, so the files are written again above them). Shared by the embedded write and the service's group commit,
/// so both give up after the same number of attempts, <see cref="Schema.CoreOptions.CommitMaxRetries"/>. The commit is asked for anew each attempt:
/// a preparation may read a newer schema.
/// </summary>
/// <remarks>
/// Files of an attempt that certainly did not commit (a conflict, found before the snapshot put) are deleted; an
/// error with an unknown outcome leaves them, since the snapshot may name them. Awaits resume on the caller's context
/// (<c>ConfigureAwait(true)</c>): the group committer's callbacks must run on its grain's scheduler.
/// </remarks>
public sealed class RewritingCommit(Func<FileStoreCommit> commit, int maxAttempts)
{
    /// <summary>Files for one attempt (from 1; every later one is a rewrite). Null: nothing to commit.</summary>
    public delegate Task<List<CommitMessage>?> Prepare(int attempt, CancellationToken ct);

    /// <summary>The commit and the files it committed; null when <paramref name="prepare"/> had nothing to commit.</summary>
    public async Task<(CommitResult Result, List<CommitMessage> Messages)?> RunAsync(
        Prepare prepare, Func<List<CommitMessage>, CommitRequest> request, Func<List<CommitMessage>, Task> abort, CancellationToken ct = default)
    {
        for (int attempt = 1; ; attempt++)
        {
            var messages = await prepare(attempt, ct).ConfigureAwait(true);
            if (messages is null) return null;
            try
            {
                var result = await commit().CommitAsync(request(messages), ct).ConfigureAwait(true);
                return (result with { Attempts = result.Attempts + attempt - 1 }, messages);
            }
            catch (SequenceConflictException) when (attempt < maxAttempts)
            {
                await abort(messages).ConfigureAwait(true);
            }
            catch (Exception e) when (e is SequenceConflictException or CommitConflictException or InvalidInputException)
            {
                await abort(messages).ConfigureAwait(true);
                throw;
            }
        }
    }
}
