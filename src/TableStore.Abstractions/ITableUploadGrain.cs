namespace TableStore.Abstractions;

/// <summary>
/// Writes too large for one message (key: <c>db.table</c>). The client sends the rows in parts, numbered from 0;
/// each part is validated and staged on the table's store as it arrives (a silo holds one part at a time), and the
/// commit makes all of them visible at once, as one write with one write id. Staging a part again (a retry after a
/// lost reply) replaces it; committing again after a commit that landed answers with its snapshot. An upload that is
/// never committed stays invisible and is deleted once idle for <c>TableStore:AbandonedUploadTimeout</c>.
/// </summary>
[Alias("TableStore.ITableUploadGrain")]
public interface ITableUploadGrain : IGrainWithStringKey
{
    /// <summary>Validates and stages part <paramref name="part"/> (RowBatchCodec bytes); returns its row count.</summary>
    [Alias("StagePart")] Task<int> StagePartAsync(string writeId, int part, byte[] rows);

    /// <summary>
    /// Commits parts 0 … <paramref name="parts"/>-1 as one write; completes when they are in a committed snapshot.
    /// Their rows are written into the table's files at the commit, which may take minutes for gigabytes.
    /// </summary>
    [Alias("CommitStaged"), ResponseTimeout("01:00:00")] Task<Core.Api.WriteOutcome?> CommitAsync(string writeId, int parts);

    /// <summary>
    /// Commits parts 0 … <paramref name="parts"/>-1 as one INSERT OVERWRITE of the whole table, or of the partitions
    /// <paramref name="partition"/> (<c>k=v[,k=v]</c>) selects; like <see cref="CommitAsync"/> otherwise.
    /// </summary>
    [Alias("CommitStagedOverwrite"), ResponseTimeout("01:00:00")] Task<Core.Api.WriteOutcome?> CommitOverwriteAsync(string writeId, int parts, IReadOnlyDictionary<string, string>? partition);

    /// <summary>Deletes what is staged for an upload the client gives up.</summary>
    [Alias("AbortStaged")] Task AbortAsync(string writeId);
}
