using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using TableStore.Core.Api;
using TableStore.Abstractions;
using TableStore.Core;
using TableStore.Core.Commit;
using TableStore.Core.Data;
using TableStore.Core.Manifest;
using TableStore.Core.Serialization;
using TableStore.Core.Table;
using TableStore.Grains.Commit;

namespace TableStore.Grains.Write;

/// <summary>
/// Writes too large for one message: parts are staged on the store by Core's <see cref="StagedWrites"/> as they
/// arrive, and the commit hands each bucket writer the paths of its staged rows (not the rows), then waits on the
/// commit grain like any write. Because the staged parts outlive silos, a commit that failed because a bucket writer
/// lost its state is simply committed again. Stateless, like the table grain: any silo takes any part.
/// </summary>
[StatelessWorker]
[Reentrant]
internal sealed class TableUploadGrain(TableStoreRuntime runtime, ILogger<TableUploadGrain> log) : Grain, ITableUploadGrain
{
    private string TableName => this.GetPrimaryKeyString();

    public async Task<int> StagePartAsync(string writeId, int part, byte[] rows)
    {
        WriteIds.Validate(writeId);
        if (rows is null) throw new InvalidInputException($"Part {part} of write {writeId} to {TableName} has no rows.");
        var table = await runtime.GetExistingTableAsync(TableName).ConfigureAwait(true);
        var (kinds, values) = RowBatchCodec.Decode(rows);
        return await new StagedWrites(table).StageAsync(writeId, part, kinds, values).ConfigureAwait(true);
    }

    public async Task<WriteOutcome?> CommitAsync(string writeId, int parts)
    {
        WriteIds.Validate(writeId);
        var table = await runtime.GetExistingTableAsync(TableName, checkSchemaNow: true).ConfigureAwait(true);
        var commits = GrainFactory.GetGrain<ICommitGrain>(TableName);
        var what = $"Write {writeId} to {TableName}";
        var (staging, staged, recorded) = await FindStagedAsync(table, writeId, parts, what).ConfigureAwait(true);
        if (recorded is { } landed) return new WriteOutcome(landed, AlreadyCommitted: true);
        if (staged is null)
        {
            if (await commits.FindCommittedAsync(writeId, null).ConfigureAwait(true) is { } done) return new WriteOutcome(done, AlreadyCommitted: true);
            throw NothingStaged(what, parts);
        }

        // Recorded before any rows are handed over; when an earlier attempt did so, it may have committed (and died
        // before recording that), so the commit grain looks for the write among the snapshots since.
        var notBefore = await staging.StartCommitAsync(writeId).ConfigureAwait(true);
        var buckets = staged.Buckets.ToDictionary(b => GrainKeys.Bucket(TableName, table.Schema.PartitionKeys, b.Partition, b.Bucket), StringComparer.Ordinal);
        try
        {
            await Task.WhenAll(buckets.Select(b => GrainFactory.GetGrain<IBucketWriterGrain>(b.Key)
                .AppendAsync(new BucketAppend(writeId, b.Value.Partition, RowBatch.Empty, staged.SchemaId, b.Value.Paths)))).ConfigureAwait(true);
        }
        catch (Exception e)
        {
            _ = Task.WhenAll(buckets.Keys.Select(b => GrainFactory.GetGrain<IBucketWriterGrain>(b).DiscardAsync(writeId)));
            throw new WriteNotCommittedException(
                $"Write {writeId} to {TableName} was not committed: its staged rows could not be handed to the bucket writers ({ErrorText.Summary(e)}). Nothing of it is visible; commit it again (its parts stay staged).", e);
        }
        var result = await commits.CompleteAsync(new WriteTicket(writeId, [.. buckets.Keys], (int)Math.Min(staged.Rows, int.MaxValue), staged.Bytes, notBefore)).ConfigureAwait(true);
        if (result.AlreadyCommitted) _ = Task.WhenAll(buckets.Keys.Select(b => GrainFactory.GetGrain<IBucketWriterGrain>(b).DiscardAsync(writeId)));
        else log.StagedWriteCommitted(writeId, TableName, staged.Rows, parts, result.SnapshotId);
        await CleanUpAsync(staging, writeId, result.SnapshotId).ConfigureAwait(true);
        return result;
    }

    public async Task<WriteOutcome?> CommitOverwriteAsync(string writeId, int parts, IReadOnlyDictionary<string, string>? partition)
    {
        WriteIds.Validate(writeId);
        var table = await runtime.GetExistingTableAsync(TableName, checkSchemaNow: true).ConfigureAwait(true);
        var what = $"Overwrite {writeId} of {TableName}";
        var (staging, found, recorded) = await FindStagedAsync(table, writeId, parts, what).ConfigureAwait(true);
        if (recorded is { } landed) return new WriteOutcome(landed, AlreadyCommitted: true);
        // Nothing staged must never become "replace with nothing": that is an error, not an empty overwrite.
        var staged = found ?? throw NothingStaged(what, parts);

        // An overwrite is its own commit, as in the table grain, under the same commit identity (so a retry that went
        // either way is recognised); its staged rows stream through the table's memtables, bounded by write-buffer-size.
        var result = await table.WriteAndCommitAsync(RowSource.Replayable(ct => StagedRowsAsync(staging, staged, ct), $"upload {writeId}"), new WriteOptions
        {
            Kind = CommitKind.Overwrite,
            OverwritePartitions = PartitionSpec.Of(partition, table.Schema),
            CommitUser = OverwriteCommitUser(writeId),
        }).ConfigureAwait(true);
        if (result?.SnapshotId is not { } snapshot) return null;
        if (!result.AlreadyCommitted) log.StagedWriteCommitted(writeId, TableName, staged.Rows, parts, snapshot);
        await CleanUpAsync(staging, writeId, snapshot).ConfigureAwait(true);
        return new WriteOutcome(snapshot, result.AlreadyCommitted);
    }

    /// <summary>
    /// The staged write to commit, checked against the table's schema; or the snapshot that already committed it
    /// (a retry of a commit whose reply was lost, answered from the record its commit left; parts staged again by
    /// the retry are deleted). Neither: nothing is staged.
    /// </summary>
    private async Task<(StagedWrites Staging, StagedWrite? Staged, long? Recorded)> FindStagedAsync(FileStoreTable table, string writeId, int parts, string what)
    {
        var staging = new StagedWrites(table);
        if (await staging.FindCommittedAsync(writeId).ConfigureAwait(true) is { } recorded)
        {
            await CleanUpAsync(staging, writeId, recorded, alreadyRecorded: true).ConfigureAwait(true);
            return (staging, null, recorded);
        }
        var staged = await staging.FindAsync(writeId, parts).ConfigureAwait(true);
        if (staged is not null && staged.SchemaId != table.Schema.Id)
            throw new WriteNotCommittedException($"{what} was not committed: the table was altered or rescaled after its parts were staged (schema {staged.SchemaId}, now {table.Schema.Id}). Nothing of it is visible; write it again.");
        return (staging, staged, null);
    }

    private WriteNotCommittedException NothingStaged(string what, int parts) => new(
        $"{what} was not committed: none of its {parts} parts is staged (never sent, or given up after {runtime.Options.AbandonedUploadTimeout}). Nothing of it is visible; write it again.");

    /// <summary>The commit user of an overwrite, here and in the table grain: a retry by either path finds the other's commit.</summary>
    internal static string OverwriteCommitUser(string writeId) => "overwrite-" + writeId;

    /// <summary>Every bucket's staged rows in part order (a key's rows are all in one bucket, so their order holds).</summary>
    private static async IAsyncEnumerable<IReadOnlyList<ChangeRow>> StagedRowsAsync(StagedWrites staging, StagedWrite staged, [EnumeratorCancellation] CancellationToken ct)
    {
        const int batchRows = 4096;
        var batch = new List<ChangeRow>(batchRows);
        foreach (var bucket in staged.Buckets)
            await foreach (var (kind, values) in staging.ReadAsync(bucket.Paths, ct).ConfigureAwait(true))
            {
                batch.Add(new ChangeRow(kind, values));
                if (batch.Count < batchRows) continue;
                yield return batch;
                batch = new List<ChangeRow>(batchRows);
            }
        if (batch.Count > 0) yield return batch;
    }

    public async Task AbortAsync(string writeId)
    {
        WriteIds.Validate(writeId);
        var table = await runtime.GetExistingTableAsync(TableName).ConfigureAwait(true);
        await new StagedWrites(table).DeleteAsync(writeId).ConfigureAwait(true);
    }

    /// <summary>
    /// Committed: the commit is recorded for retries, then the staged parts go (only after the record: a retry that
    /// found parts but no record would otherwise have to search the snapshots). What a failure leaves is deleted as
    /// abandoned later.
    /// </summary>
    private async Task CleanUpAsync(StagedWrites staging, string writeId, long snapshotId, bool alreadyRecorded = false)
    {
        try
        {
            if (!alreadyRecorded) await staging.MarkCommittedAsync(writeId, snapshotId).ConfigureAwait(true);
            await staging.DeleteAsync(writeId, keepCommitted: true).ConfigureAwait(true);
        }
        catch (Exception e) when (e is IOException or TableStoreException)
        {
            log.StagedWriteCleanupFailed(e, writeId, TableName);
        }
    }
}
