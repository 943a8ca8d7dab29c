using System.Runtime.InteropServices;
using TableStore.Core.Commit;
using TableStore.Core.Format;
using TableStore.Core.Manifest;
using TableStore.Core.Schema;
using TableStore.Core.Table;

namespace TableStore.Core.MergeTree;

/// <summary>
/// The write side of one bucket's LSM tree: a memtable (held column by column, <see cref="Memtable"/>) of rows in
/// arrival order, each stamped with the next sequence number, flushed as a sorted, merged level-0 run when it is full
/// or at commit. Files it wrote are reported once in a commit message and are invisible until that commit lands. With
/// a changelog producer it also writes changelog files at each flush: the input rows as they came (<c>input</c>), or
/// the exact before/after pairs found by looking up each key's previous value (<c>lookup</c>).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The memtable holds pooled arrays only: a writer dropped without a flush or discard leaves them to the garbage collector.")]
public sealed class BucketWriter
{
    private readonly DataFileWriter _files;
    private readonly TableSchema _schema;
    private readonly KeyComparer _keys;
    private Memtable _buffer;
    private readonly List<DataFileMeta> _newFiles = [];
    private readonly List<DataFileMeta> _changelog = [];
    private List<KeyValue>? _input;
    private readonly ChangelogByLookup? _lookup;
    private long _bufferBytes;
    private readonly long _bufferLimit;

    /// <param name="previous">For the <c>lookup</c> changelog producer: each key's value before this write.</param>
    /// <param name="bufferLimit">The memtable size at which <see cref="IsFull"/> (default: <c>write-buffer-size</c>).</param>
    public BucketWriter(DataFileWriter files, TableSchema schema, object?[] partition, int bucket, long nextSequence, PreviousValueLookup? previous = null, long? bufferLimit = null)
    {
        _bufferLimit = bufferLimit ?? schema.CoreOptions.WriteBufferSize;
        _files = files;
        _schema = schema;
        _keys = new KeyComparer(schema.KeyIndices, schema);
        _buffer = new Memtable(schema);
        Partition = partition;
        Bucket = bucket;
        NextSequence = nextSequence;
        if (schema.Kind == TableKind.PrimaryKey)
        {
            switch (schema.CoreOptions.ChangelogProducer)
            {
                case ChangelogProducer.Input: _input = []; break;
                case ChangelogProducer.Lookup:
                    _lookup = new ChangelogByLookup(schema, _keys, previous ?? throw new ArgumentNullException(nameof(previous), "The lookup changelog producer needs the previous values."));
                    break;
            }
        }
    }

    public object?[] Partition { get; }
    public int Bucket { get; }
    public long NextSequence { get; private set; }
    public bool IsFull => _bufferBytes >= _bufferLimit;

    /// <summary>The estimated size of the rows in the memtable.</summary>
    public long BufferedBytes => _bufferBytes;

    /// <summary>
    /// Adds a validated row, as the merge engine stores it (which may drop it, e.g. with ignore-delete). Rows that
    /// are merge results already (<paramref name="merged"/>: a rescale rewriting the table) are stored as they are.
    /// </summary>
    public void Write(Data.RowKind kind, object?[] row, bool merged = false)
    {
        var (inputKind, inputRow) = (kind, row);
        if (_schema.Kind == TableKind.PrimaryKey && !merged && !_schema.MergeSpec.Prepare(ref kind, ref row)) return;
        long seq = NextSequence++;
        _input?.Add(new KeyValue(inputRow, seq, inputKind));
        _buffer.Add(kind, row, seq);
        _bufferBytes += _files.Estimator.EstimateInMemtable(row);
    }

    /// <summary>
    /// Where the commit's run goes when it is the writer's only one: 0 normally; the top level for an overwrite of a
    /// table with the full-compaction changelog producer, whose overwrite diff is emitted by the OVERWRITE snapshot,
    /// so the next full compaction must count this run as already emitted (the previous top level).
    /// </summary>
    public int SingleRunLevel { get; init; }

    public Task FlushAsync(CancellationToken ct = default) => FlushAsync(final: false, ct);

    /// <summary>
    /// Hands the memtable to a flush on the thread pool and starts a fresh one, so rows keep coming while the run is
    /// sorted and written. The caller awaits the task before the next spill or flush of this writer (the lookup
    /// changelog producer needs its runs in order) and before <see cref="PrepareCommitAsync"/>.
    /// </summary>
    public Task SpillAsync(CancellationToken ct = default)
    {
        if (_buffer.Count == 0) return Task.CompletedTask;
        var (rows, input) = (_buffer, _input);
        _buffer = new Memtable(_schema);
        if (_input is not null) _input = [];
        _bufferBytes = 0;
        return Task.Run(() => WriteRunAsync(rows, input, level: 0, ct), ct);
    }

    private async Task FlushAsync(bool final, CancellationToken ct)
    {
        if (_buffer.Count == 0) return;
        int level = final && _newFiles.Count == 0 ? SingleRunLevel : 0;
        var rows = _buffer;
        _buffer = new Memtable(_schema);
        _bufferBytes = 0;
        await WriteRunAsync(rows, _input, level, ct).ConfigureAwait(false);
        _input?.Clear();
    }

    /// <summary>
    /// Sorts and merges a memtable and writes it (and its changelog) as one run, then releases it. With the deduplicate
    /// engine the newest version of each key is picked on the sorted columns and the run is encoded straight from them,
    /// unboxed (append-only tables likewise, in arrival order); other engines and the lookup changelog producer merge
    /// boxed versions, as they need them.
    /// </summary>
    private async Task WriteRunAsync(Memtable memtable, List<KeyValue>? input, int level, CancellationToken ct)
    {
        using (memtable)
        {
            if (_schema.Kind == TableKind.PrimaryKey && _lookup is null && MergeFunctions.Create(_schema) is DeduplicateMergeFunction)
            {
                var order = memtable.SortByKey(out var sameKey);
                await WriteChangelogAsync(input, ct).ConfigureAwait(false);
                // The last version of each key in (key, sequence) order wins; retractions stay: older runs may hold the key.
                int winners = 0;
                for (int i = 0; i < order.Length; i++)
                    if (i + 1 == order.Length || !sameKey[i + 1]) order[winners++] = order[i];
                _newFiles.AddRange(await WriteColumnsAsync(memtable, order.AsMemory(0, winners), level, ct).ConfigureAwait(false));
                return;
            }
            if (_schema.Kind != TableKind.PrimaryKey)
            {
                await WriteChangelogAsync(input, ct).ConfigureAwait(false);
                var arrival = new int[memtable.Count];
                for (int i = 0; i < arrival.Length; i++) arrival[i] = i;
                _newFiles.AddRange(await WriteColumnsAsync(memtable, arrival, level, ct).ConfigureAwait(false));
                return;
            }
            var sorted = memtable.SortByKey(out var same);
            var rows = new List<KeyValue>(sorted.Length);
            foreach (var i in sorted) rows.Add(memtable.Version(i));
            memtable.Dispose(); // the boxed versions are all that is needed now
            CollectionsMarshal.SetCount(rows, MergeInPlace(CollectionsMarshal.AsSpan(rows), same, MergeFunctions.Create(_schema)));
            await WriteChangelogAsync(input ?? (_lookup is null ? null : await _lookup.ProduceAsync(rows, ct).ConfigureAwait(false)), ct).ConfigureAwait(false);
            _newFiles.AddRange(await _files.WriteAsync(Partition, Bucket, rows, level, ct: ct).ConfigureAwait(false));
        }
    }

    /// <summary>Writes the memtable's rows at the positions in <paramref name="rows"/>, in that order, from its columns.</summary>
    private async Task<List<DataFileMeta>> WriteColumnsAsync(Memtable memtable, ReadOnlyMemory<int> rows, int level, CancellationToken ct)
    {
        await using var run = _files.NewRun(Partition, Bucket, level);
        await run.AddAsync(memtable, rows, ct).ConfigureAwait(false);
        return await run.CompleteAsync(ct).ConfigureAwait(false);
    }

    private async Task WriteChangelogAsync(List<KeyValue>? changelog, CancellationToken ct)
    {
        if (changelog is not { Count: > 0 }) return;
        _changelog.AddRange(await _files.WriteAsync(Partition, Bucket, changelog, level: 0, TablePaths.ChangelogFilePrefix, ct).ConfigureAwait(false));
    }

    /// <summary>
    /// Folds each key's versions (sorted, grouped) into one row, writing results over the input (a result never
    /// lands after the rows it came from); returns how many rows remain. Retractions stay: older runs may hold the key.
    /// </summary>
    private static int MergeInPlace(Span<KeyValue> run, bool[] sameKeyAsPrevious, IMergeFunction merge)
    {
        int write = 0, i = 0;
        while (i < run.Length)
        {
            merge.Reset();
            merge.Add(run[i++]);
            while (i < run.Length && sameKeyAsPrevious[i]) merge.Add(run[i++]);
            if (merge.GetResult() is { } r) run[write++] = r;
        }
        return write;
    }

    /// <summary>Drops the memtable and hands over the files written so far, for a write that will not be committed.</summary>
    public CommitMessage Discard()
    {
        _buffer.Dispose();
        _buffer = new Memtable(_schema);
        _input?.Clear();
        _bufferBytes = 0;
        var message = CommitMessage.Append(Partition, Bucket, _schema.BucketCount, _newFiles.ToList()) with { ChangelogFiles = _changelog.ToList() };
        _newFiles.Clear();
        _changelog.Clear();
        return message;
    }

    /// <summary>Flushes and hands over every file written since the last call.</summary>
    public async Task<CommitMessage> PrepareCommitAsync(CancellationToken ct = default)
    {
        await FlushAsync(final: true, ct).ConfigureAwait(false);
        var message = CommitMessage.Append(Partition, Bucket, _schema.BucketCount, _newFiles.ToList()) with { ChangelogFiles = _changelog.ToList() };
        _newFiles.Clear();
        _changelog.Clear();
        return message;
    }
}
