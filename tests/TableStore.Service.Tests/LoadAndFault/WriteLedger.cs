using System.Collections.Concurrent;

namespace TableStore.Service.Tests.LoadAndFault;

/// <summary>
/// The model of the load test: every write attempted and what its writer was told. A write is acknowledged (with the
/// snapshot that holds it), known not committed, or still unknown; only a retry with the same write id settles an
/// unknown one. Row n of write (writer, seq) is the table row (writer, seq, n), so the table can be checked against it.
/// </summary>
internal sealed class WriteLedger
{
    private readonly ConcurrentDictionary<string, Write> _writes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _unclassified = new();
    private long _unknownReplies, _retriedCommitted;

    public sealed class Write(string id, int writer, long seq, int rows)
    {
        public string Id { get; } = id;
        public int Writer { get; } = writer;
        public long Seq { get; } = seq;
        public int Rows { get; } = rows;
        /// <summary>The write's identity; the service's write id for it is <see cref="Id"/>.</summary>
        public WriteIdentity Identity => new($"w{Writer}", Seq);
        public long? Snapshot { get; set; }
        public bool NotCommitted { get; set; }
        public bool Settled => Snapshot is not null || NotCommitted;
    }

    public static string IdOf(int writer, long seq) => $"w{writer}-{seq}";

    public Write Begin(int writer, long seq, int rows) => _writes[IdOf(writer, seq)] = new Write(IdOf(writer, seq), writer, seq, rows);

    public void Acknowledged(Write w, long snapshot, bool alreadyCommitted)
    {
        w.Snapshot = snapshot;
        if (alreadyCommitted) Interlocked.Increment(ref _retriedCommitted);
    }

    public void Unknown() => Interlocked.Increment(ref _unknownReplies);

    /// <summary>An error that does not say whether the write committed: the client must never raise one.</summary>
    public void Unclassified(Write w, Exception e) => _unclassified.Enqueue($"{w.Id}: {e.GetType().Name}: {e.Message}");

    public IEnumerable<Write> All => _writes.Values;
    public IEnumerable<Write> Acknowledged() => _writes.Values.Where(w => w.Snapshot is not null);
    public IEnumerable<Write> Unsettled => _writes.Values.Where(w => !w.Settled);
    public IReadOnlyCollection<string> UnclassifiedErrors => _unclassified;
    public long UnknownReplies => Interlocked.Read(ref _unknownReplies);

    /// <summary>Retries of a write whose outcome was unknown that found it committed (and wrote nothing again).</summary>
    public long RetriedCommitted => Interlocked.Read(ref _retriedCommitted);
}
