using System.Reflection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;
using Orleans.Streams;
using TableStore.Abstractions;
using TableStore.Core.Data;
using TableStore.Testing;
using TableStore.Core.Schema;
using TableStore.Core.Table;
using TableStore.Grains.Commit;

namespace TableStore.Service.Tests;

/// <summary>
/// A publish that fails after its commit is published again from the snapshot, before any later snapshot (so a
/// stream's readers still see snapshot order), and given up after its attempts: then only the lake has it.
/// </summary>
public sealed class ChangePublisherTests
{
    [Fact]
    public async Task A_failed_publish_is_sent_again_from_the_snapshot_before_later_ones_and_given_up_after_its_attempts()
    {
        var table = await new Catalog(new InMemoryObjectStore()).CreateTableAsync(Identifier.Parse("db.t"),
            new TableDefinition(SchemaParser.ParseColumns("id BIGINT, v INT"), ["id"], null, 1));
        var ids = new List<long>();
        for (int i = 0; i < 6; i++) ids.Add((await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [(long)i, i])]))!.SnapshotId);

        // Snapshot 2 fails twice, then goes: 3 and later wait behind it.
        var stream = FlakyStream.Create(failuresBySnapshot: new Dictionary<long, int> { [ids[1]] = 2 });
        var publisher = new ChangePublisher(() => FlakyStream.Provider(stream), "flaky", "db.t", 1000, 1 << 20, attempts: 3, null, NullLogger.Instance);
        foreach (var id in ids.Take(4)) publisher.Publish(id, table);
        await publisher.Idle.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(ids.Take(4), FlakyStream.Sent(stream).Select(e => e.SnapshotId));
        Assert.Equal([1L, 2L, 3L, 4L], FlakyStream.Sent(stream).Select(e => (long)e.ToBatch().Rows.Single().Values[0]! + 1));

        // Snapshot 5 fails on every attempt: given up after 3, and 6 still goes out.
        var failing = FlakyStream.Create(failuresBySnapshot: new Dictionary<long, int> { [ids[4]] = int.MaxValue });
        var giving = new ChangePublisher(() => FlakyStream.Provider(failing), "flaky", "db.t", 1000, 1 << 20, attempts: 3, null, NullLogger.Instance);
        giving.Publish(ids[4], table);
        giving.Publish(ids[5], table);
        await giving.Idle.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal([ids[5]], FlakyStream.Sent(failing).Select(e => e.SnapshotId));
        Assert.Equal(3, FlakyStream.Attempts(failing, ids[4]));
    }

    /// <summary>A stream (and its provider) whose publishes of chosen snapshots fail a number of times.</summary>
    public class FlakyStream : DispatchProxy
    {
        private readonly List<ChangeEvent> _sent = [];
        private readonly Dictionary<long, int> _attempts = [];
        private Dictionary<long, int> _failures = [];
        private object? _stream;

        public static IAsyncStream<ChangeEvent> Create(Dictionary<long, int> failuresBySnapshot)
        {
            var stream = DispatchProxy.Create<IAsyncStream<ChangeEvent>, FlakyStream>();
            ((FlakyStream)(object)stream)._failures = failuresBySnapshot;
            return stream;
        }

        public static IStreamProvider Provider(IAsyncStream<ChangeEvent> stream)
        {
            var provider = DispatchProxy.Create<IStreamProvider, FlakyStream>();
            ((FlakyStream)(object)provider)._stream = stream;
            return provider;
        }

        public static List<ChangeEvent> Sent(IAsyncStream<ChangeEvent> stream)
        {
            var s = (FlakyStream)(object)stream;
            lock (s._sent) return [.. s._sent];
        }

        public static int Attempts(IAsyncStream<ChangeEvent> stream, long snapshot)
        {
            var s = (FlakyStream)(object)stream;
            lock (s._sent) return s._attempts.GetValueOrDefault(snapshot);
        }

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            switch (method?.Name)
            {
                case nameof(IStreamProvider.GetStream):
                    return _stream;
                case nameof(IAsyncObserver<ChangeEvent>.OnNextAsync):
                    var e = (ChangeEvent)args![0]!;
                    lock (_sent)
                    {
                        int attempt = _attempts[e.SnapshotId] = _attempts.GetValueOrDefault(e.SnapshotId) + 1;
                        if (attempt <= _failures.GetValueOrDefault(e.SnapshotId)) return Task.FromException(new InvalidOperationException("brokers away"));
                        _sent.Add(e);
                    }
                    return Task.CompletedTask;
                case "get_" + nameof(IAsyncStream<ChangeEvent>.StreamId):
                    return StreamId.Create(ChangeStreams.Namespace, "db.t");
                default:
                    throw new NotSupportedException(method?.Name);
            }
        }
    }
}
