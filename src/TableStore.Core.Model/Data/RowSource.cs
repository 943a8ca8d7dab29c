using System.Runtime.CompilerServices;

namespace TableStore.Core.Data;

/// <summary>
/// The rows of one write, in batches, for writes of any size: a writer takes them batch by batch with bounded
/// memory instead of holding them all. A write that must start again (another writer committed to the same
/// primary-key buckets meanwhile, so its rows are written again above that writer's) reads its source again:
/// <see cref="Replayable"/> sources (a file, a list) are opened anew, a <see cref="Once"/> source cannot be, and the
/// write then fails as not committed, saying why.
/// </summary>
public sealed class RowSource
{
    private readonly Func<CancellationToken, IAsyncEnumerable<IReadOnlyList<ChangeRow>>> _open;
    private int _opened;

    private RowSource(Func<CancellationToken, IAsyncEnumerable<IReadOnlyList<ChangeRow>>> open, bool canReopen, string description)
    {
        _open = open;
        CanReopen = canReopen;
        Description = description;
    }

    /// <summary>Whether the rows can be read more than once.</summary>
    public bool CanReopen { get; }

    /// <summary>Where the rows come from, for messages (a file name, "stdin", "a list of 12 rows").</summary>
    public string Description { get; }

    /// <summary>Rows already in memory (replayable).</summary>
    public static RowSource Of(IReadOnlyList<ChangeRow> rows) =>
        new(ct => Single(rows, ct), canReopen: true, $"a list of {rows.Count} rows");

    /// <summary>A source opened anew for each attempt, e.g. a file read from its start.</summary>
    public static RowSource Replayable(Func<CancellationToken, IAsyncEnumerable<IReadOnlyList<ChangeRow>>> open, string description) =>
        new(open, canReopen: true, description);

    /// <summary>A source that can be read once (a pipe, a network stream, a generator).</summary>
    public static RowSource Once(IAsyncEnumerable<IReadOnlyList<ChangeRow>> batches, string description) =>
        new(_ => batches, canReopen: false, description);

    /// <summary>The batches, for one attempt of a write; a second read of a <see cref="Once"/> source is refused.</summary>
    public IAsyncEnumerable<IReadOnlyList<ChangeRow>> Open(CancellationToken ct = default)
    {
        if (Interlocked.Increment(ref _opened) > 1 && !CanReopen)
            throw new WriteNotCommittedException(
                $"The write of {Description} had to start again (another writer committed to the same buckets meanwhile), and its rows can be read only once. Nothing of it is visible; write it again.");
        return _open(ct);
    }

    /// <summary>The same source, reporting the rows read so far (from 0 again when it is read again).</summary>
    public RowSource Counted(IProgress<long> progress) => new(ct => Count(_open(ct), progress, ct), CanReopen, Description);

    private static async IAsyncEnumerable<IReadOnlyList<ChangeRow>> Count(IAsyncEnumerable<IReadOnlyList<ChangeRow>> batches, IProgress<long> progress, [EnumeratorCancellation] CancellationToken ct)
    {
        long rows = 0;
        await foreach (var batch in batches.WithCancellation(ct).ConfigureAwait(false))
        {
            yield return batch;
            progress.Report(rows += batch.Count);
        }
    }

    private static async IAsyncEnumerable<IReadOnlyList<ChangeRow>> Single(IReadOnlyList<ChangeRow> rows, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        if (rows.Count > 0) yield return rows;
        await Task.CompletedTask.ConfigureAwait(false);
    }
}
