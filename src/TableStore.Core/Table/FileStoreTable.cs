using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using TableStore.Core.Commit;
using TableStore.Core.Data;
using TableStore.Core.Format;
using TableStore.Core.IO;
using TableStore.Core.Manifest;
using TableStore.Core.Scan;
using TableStore.Core.Schema;
using TableStore.Core.Tags;
using TableStore.Core.Consumers;

namespace TableStore.Core.Table;

/// <summary>
/// A table at one schema version: the entry point for writes, commits, scans and snapshot listing.
/// Cheap to create; holds caches of immutable metadata only.
/// </summary>
public sealed class FileStoreTable
{
    internal FileStoreTable(Identifier identifier, TableSchema schema, IObjectStore store, SchemaManager schemas, TimeProvider time, ILoggerFactory loggers)
    {
        Identifier = identifier;
        Schema = schema;
        Store = store;
        Paths = new TablePaths(identifier.TableRoot);
        Schemas = schemas;
        Time = time;
        Loggers = loggers;
        Snapshots = new SnapshotManager(store, Paths);
        Manifests = new ManifestStore(store, Paths, schemas, schema);
        Tags = new TagManager(store, Paths, Snapshots);
        Consumers = new ConsumerManager(store, Paths, Time);
    }

    public Identifier Identifier { get; }
    public TableSchema Schema { get; }
    public IObjectStore Store { get; }
    public TablePaths Paths { get; }
    public SchemaManager Schemas { get; }
    public SnapshotManager Snapshots { get; }
    public ManifestStore Manifests { get; }
    public TagManager Tags { get; }
    public ConsumerManager Consumers { get; }
    public TimeProvider Time { get; }
    internal ILoggerFactory Loggers { get; }

    /// <summary>The same table at another schema version (e.g. the latest, for a job that rewrites data).</summary>
    public FileStoreTable WithSchema(TableSchema schema) => new(Identifier, schema, Store, Schemas, Time, Loggers);

    public Task<TableWrite> NewWriteAsync(CancellationToken ct = default) => TableWrite.CreateAsync(this, ct);

    public FileStoreCommit NewCommit(string commitUser) =>
        new(Store, Paths, Schema, Snapshots, Manifests, commitUser, Time, Loggers.CreateLogger<FileStoreCommit>());

    /// <summary>
    /// Writes rows and commits them as one snapshot (one atomic commit). If another writer added rows to one
    /// of the same primary-key buckets meanwhile, the rows are written again with fresh sequence numbers.
    /// Returns null when there was nothing to commit. The rows' value arrays are taken over by the write
    /// (validated and converted in place, then buffered): do not reuse them.
    /// </summary>
    /// <remarks>
    /// To retry after a failure whose outcome is unknown, call again with the same <see cref="WriteOptions.CommitUser"/>,
    /// <see cref="WriteOptions.CommitIdentifier"/> and <see cref="WriteOptions.KnownSnapshotId"/>: a commit that landed
    /// is then found and returned instead of committed twice.
    /// </remarks>
    public Task<CommitResult?> WriteAndCommitAsync(IReadOnlyList<ChangeRow> rows, WriteOptions? options = null, CancellationToken ct = default)
    {
        if (options?.OverwritePartitions is { IsAll: false } spec) CheckRowsInPartitions(rows, 0, spec); // before anything is written
        return WriteAndCommitAsync(RowSource.Of(rows), options, ct);
    }

    /// <summary>
    /// Writes rows of any size, batch by batch with bounded memory (the memtables' <c>write-buffer-size</c>; full ones
    /// become sorted runs on the store as the rows arrive), and commits them as one snapshot. A rewrite after another
    /// writer's commit reads <paramref name="source"/> again (see <see cref="RowSource"/>). Files of a write that did
    /// not commit are deleted; a crash leaves them to orphan cleanup, never visible. A source that can be read only
    /// once (stdin) is copied to a temporary file as it is read, for that rewrite.
    /// </summary>
    public async Task<CommitResult?> WriteAndCommitAsync(RowSource source, WriteOptions? options = null, CancellationToken ct = default)
    {
        if (!source.CanReopen)
        {
            await using var spooled = new SpooledRowSource(source);
            return await WriteAndCommitAsync(spooled.Rows, options, ct).ConfigureAwait(false);
        }
        options ??= new WriteOptions();
        var spec = options.OverwritePartitions is { IsAll: false } s ? s : null;
        if (spec is not null && options.Kind != CommitKind.Overwrite) throw new ArgumentException("OverwritePartitions needs Kind = Overwrite.", nameof(options));
        var commit = NewCommit(options.CommitUser ?? Guid.NewGuid().ToString("N"));
        long? floor = options.KnownSnapshotId;
        // A named writer may be retrying a write that landed; a fresh commit user has no earlier attempts to find.
        if (options.CommitUser is not null && await commit.FindCommittedAsync(options.CommitIdentifier, floor, ct).ConfigureAwait(false) is { } done)
            return new CommitResult(done, AlreadyCommitted: true, 0);
        TableWrite? write = null;
        var committed = await new RewritingCommit(() => commit, Schema.CoreOptions.CommitMaxRetries).RunAsync(
            async (_, token) =>
            {
                // A rewrite starts from scratch: a fresh write reads the sequence numbers the other writer committed.
                write = await NewWriteAsync(token).ConfigureAwait(false);
                // A fresh commit user's commit can only land after the snapshot its write started from.
                if (options.CommitUser is null) floor ??= write.BaseSnapshotId ?? 0;
                write.RowsAreMerged = options.RowsAreMerged;
                if (options.Kind == CommitKind.Overwrite && Schema.Kind == TableKind.PrimaryKey && Schema.CoreOptions.ChangelogProducer == ChangelogProducer.FullCompaction)
                    write.SingleRunLevel = Schema.CoreOptions.NumLevels - 1;
                try
                {
                    long read = 0;
                    await foreach (var batch in source.Open(token).WithCancellation(token).ConfigureAwait(false))
                    {
                        if (spec is not null) CheckRowsInPartitions(batch, read, spec);
                        foreach (var row in batch) await write.WriteAsync(row, token).ConfigureAwait(false);
                        read += batch.Count;
                    }
                }
                catch
                {
                    // Bad input, a source that failed: the runs flushed so far will never be committed.
                    await write.DiscardAsync(CancellationToken.None).ConfigureAwait(false);
                    throw;
                }
                var messages = await write.PrepareCommitAsync(token).ConfigureAwait(false);
                return messages.Count == 0 && options.Kind == CommitKind.Append && options.LogOffsets is not { Count: > 0 } ? null : messages;
            },
            messages => new CommitRequest(messages, options.CommitIdentifier)
            {
                Kind = options.Kind,
                BaseSnapshotId = floor,
                OverwriteSpec = options.OverwritePartitions,
                RequireUnchangedSince = options.RequireUnchangedSince,
                LogOffsets = options.LogOffsets,
                ExpectedLogOffsets = options.ExpectedLogOffsets,
            },
            messages => write!.AbortAsync(messages, CancellationToken.None), ct).ConfigureAwait(false);
        if (committed is not { } outcome) return null;
        var (result, written) = outcome;
        if (Schema.CoreOptions.WriteOnly || options.Kind == CommitKind.Overwrite) return result;
        return result with { Compaction = await CompactAfterWriteAsync(written, ct).ConfigureAwait(false) };
    }

    /// <summary>An overwrite of some partitions may only write rows into them: say which row strays, before anything is written.</summary>
    private void CheckRowsInPartitions(IReadOnlyList<ChangeRow> rows, long firstRow, PartitionSpec spec)
    {
        var partition = new object?[Schema.PartitionIndices.Length];
        for (int r = 0; r < rows.Count; r++)
        {
            var values = rows[r].Values;
            for (int p = 0; p < partition.Length; p++)
            {
                int i = Schema.PartitionIndices[p];
                var v = i < values.Length ? values[i] : null;
                try { partition[p] = v is null ? null : Data.Values.Coerce(v, Schema.Fields[i].Type); }
                catch (InvalidInputException) { partition[p] = v; } // a bad value: the row validator says which
            }
            if (!spec.Matches(partition))
                throw new InvalidInputException($"Row {firstRow + r + 1} belongs to partition {TablePaths.PartitionPath(Schema.PartitionKeys, partition).TrimEnd('/')}, outside the overwritten partition {spec}.");
        }
    }

    /// <summary>Runs a compaction job (see <see cref="TableCompactor"/>) and commits it as one COMPACT snapshot.</summary>
    public Task<CompactOutcome> CompactAsync(CompactOptions? options = null, CancellationToken ct = default) =>
        new TableCompactor(this).RunAsync(options ?? new CompactOptions(), ct);

    /// <summary>
    /// Compacts the buckets a write touched when their triggers say so, in the writer, before it returns: so a
    /// bucket never holds more sorted runs than the trigger plus one, whoever writes. The write is committed
    /// already; a failed compaction is logged and left to the next writer or the compact job.
    /// </summary>
    private async Task<CompactOutcome?> CompactAfterWriteAsync(List<CommitMessage> messages, CancellationToken ct)
    {
        var buckets = messages.Select(m => (PartitionKey.Of(m.Partition), m.Bucket)).ToHashSet();
        try
        {
            var outcome = await CompactAsync(new CompactOptions { Buckets = buckets }, ct).ConfigureAwait(false);
            return outcome.SnapshotId is null ? null : outcome;
        }
        catch (Exception e) when (e is TableStoreException or IOException or OperationCanceledException)
        {
            Loggers.CreateLogger<FileStoreTable>().CompactionAfterWriteFailed(e, Identifier.FullName);
            return null;
        }
    }

    public TableScan NewScan() => new(Schema, Snapshots, Manifests, Identifier.FullName, Tags);

    public TableRead NewRead() => new(Schema, NewDataFileReader());

    public DataFileReader NewDataFileReader() => new(Store, Paths, Schema, Schemas);

    /// <summary>Reads a snapshot with projection, filter and limit. Columns are validated before any I/O on data.</summary>
    public async Task<ScanResult> ScanAsync(ScanOptions options, CancellationToken ct = default)
    {
        var columns = options.Columns is { Count: > 0 }
            ? options.Columns.Select(c => Schema.RequireFieldIndex(c.Trim())).ToArray()
            : Enumerable.Range(0, Schema.Fields.Length).ToArray();
        if (columns.Distinct().Count() != columns.Length)
            throw new InvalidInputException($"Column '{Schema.Fields[columns.GroupBy(c => c).First(g => g.Count() > 1).Key].Name}' is selected twice in {string.Join(",", options.Columns!)}.");
        var filter = options.Predicate ?? (string.IsNullOrWhiteSpace(options.Filter) ? null : PredicateParser.Parse(options.Filter, Schema));
        if (options.Limit is < 0) throw new InvalidInputException($"The limit must be zero or more, got {options.Limit}.");
        var scan = NewScan();
        var snapshot = await scan.ResolveSnapshotAsync(options, ct).ConfigureAwait(false);
        var plan = await scan.PlanAsync(snapshot, filter, ct).ConfigureAwait(false);
        var needed = new bool[Schema.Fields.Length];
        foreach (var c in columns) needed[c] = true;
        if (filter is not null) foreach (var f in filter.ReferencedFields()) needed[f] = true;
        return new ScanResult(plan, columns.Select(c => Schema.Fields[c]).ToList(), ReadRows(plan, columns, needed, filter, options.Limit, ct));
    }

    private async IAsyncEnumerable<object?[]> ReadRows(ScanPlan plan, int[] columns, bool[] needed, Predicate? filter, long? limit, [EnumeratorCancellation] CancellationToken ct)
    {
        if (limit == 0) yield break;
        long count = 0;
        var read = NewRead();
        bool identity = columns.Length == Schema.Fields.Length && columns.Select((c, i) => c == i).All(x => x);
        // Splits are decoded and merged ahead, one per core, while the caller consumes the current one, in order.
        int window = Math.Max(1, Environment.ProcessorCount);
        var pending = new Queue<Task<PreparedSplit>>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        int next = 0;
        try
        {
            while (true)
            {
                while (pending.Count < window && next < plan.Splits.Count)
                {
                    var split = plan.Splits[next++];
                    pending.Enqueue(Task.Run(() => read.PrepareAsync(split, needed, stop.Token), stop.Token));
                }
                if (pending.Count == 0) yield break;
                await using var prepared = await pending.Dequeue().ConfigureAwait(false);
                await foreach (var row in prepared.Rows(ct).ConfigureAwait(false))
                {
                    if (filter is not null && !filter.Matches(row)) continue;
                    if (identity) yield return row;
                    else
                    {
                        var projected = new object?[columns.Length];
                        for (int i = 0; i < columns.Length; i++) projected[i] = row[columns[i]];
                        yield return projected;
                    }
                    if (++count >= limit) yield break;
                }
            }
        }
        finally
        {
            // Abandoned read-aheads (limit reached, consumer stopped) are cancelled, awaited and released.
            stop.Cancel();
            foreach (var t in pending)
            {
                // Their outcome no longer matters: a failure there must not fail a scan that already ended.
                try { await (await t.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false); }
                catch (Exception) { }
            }
        }
    }
}
