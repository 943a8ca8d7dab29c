using System.Runtime.InteropServices;
using TableStore.Core.Commit;
using TableStore.Core.Format;
using TableStore.Core.Manifest;
using TableStore.Core.Schema;
using TableStore.Core.Table;

namespace TableStore.Core.MergeTree;

/// <summary>
/// The write side of one bucket's LSM tree: a memtable of rows in arrival order, each stamped with the next
/// sequence number, flushed as a sorted, merged level-0 run when it is full or at commit. Files it wrote are
/// reported once in a commit message and are invisible until that commit lands. With a changelog producer it
/// also writes changelog files at each flush: the input rows as they came (<c>input</c>), or the exact
/// before/after pairs found by looking up each key's previous value (<c>lookup</c>).
/// </summary>
public sealed class BucketWriter
{
    private readonly DataFileWriter _files;
    private readonly TableSchema _schema;
    private readonly KeyComparer _keys;
    private List<KeyValue> _buffer = [];
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
        _buffer.Add(new KeyValue(row, seq, kind));
        _bufferBytes += _files.Estimator.EstimateInMemory(row);
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
        _buffer = [];
        if (_input is not null) _input = [];
        _bufferBytes = 0;
        return Task.Run(() => WriteRunAsync(rows, input, level: 0, ct), ct);
    }

    private async Task FlushAsync(bool final, CancellationToken ct)
    {
        if (_buffer.Count == 0) return;
        int level = final && _newFiles.Count == 0 ? SingleRunLevel : 0;
        await WriteRunAsync(_buffer, _input, level, ct).ConfigureAwait(false);
        _input?.Clear();
        _buffer.Clear();
        _bufferBytes = 0;
    }

    /// <summary>Sorts and merges <paramref name="rows"/> in place and writes them (and their changelog) as one run.</summary>
    private async Task WriteRunAsync(List<KeyValue> rows, List<KeyValue>? input, int level, CancellationToken ct)
    {
        if (_schema.Kind == TableKind.PrimaryKey)
        {
            // Sorted and merged in the memtable's own storage: no copies of a buffer that can be gigabytes.
            // Sequence numbers are unique, so (key, sequence) is a total order and the sort needs no stability.
            var span = CollectionsMarshal.AsSpan(rows);
            var sameKey = KeySorter.Sort(span, _schema, _keys);
            CollectionsMarshal.SetCount(rows, MergeInPlace(span, sameKey, MergeFunctions.Create(_schema)));
        }
        var changelog = input ?? (_lookup is null ? null : await _lookup.ProduceAsync(rows, ct).ConfigureAwait(false));
        var changelogFiles = changelog is { Count: > 0 }
            ? await _files.WriteAsync(Partition, Bucket, changelog, level: 0, TablePaths.ChangelogFilePrefix, ct).ConfigureAwait(false)
            : [];
        var files = await _files.WriteAsync(Partition, Bucket, rows, level, ct: ct).ConfigureAwait(false);
        _changelog.AddRange(changelogFiles);
        _newFiles.AddRange(files);
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
        _buffer.Clear();
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
