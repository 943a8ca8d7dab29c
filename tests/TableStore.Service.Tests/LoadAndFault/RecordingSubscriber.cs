using TableStore.Client;
using TableStore.Core.Manifest;
using TableStore.Core.Streaming;

namespace TableStore.Service.Tests.LoadAndFault;

/// <summary>
/// A subscriber that keeps what it was delivered, deduplicated by snapshot id as an application would (a snapshot
/// may come twice: from the stream and from a catch-up read, or again after re-subscribing). When its connection is
/// replaced it subscribes again from the next snapshot it has not seen.
/// </summary>
internal sealed class RecordingSubscriber(string name, string table) : IAsyncDisposable
{
    private readonly Dictionary<long, List<(int Writer, long Seq, int N)>> _appended = [];
    private readonly List<string> _conflicts = [];
    private readonly List<TableSubscription> _subscriptions = [];
    private long _duplicates, _next = 1;

    public string Name => name;
    public long Duplicates => Interlocked.Read(ref _duplicates);
    /// <summary>The first snapshot not yet seen (a subscription passes compactions without delivering rows).</summary>
    public long NextSnapshot
    {
        get
        {
            lock (_subscriptions) return Math.Max(Interlocked.Read(ref _next), _subscriptions.LastOrDefault()?.NextSnapshot ?? 0);
        }
    }

    public IReadOnlyDictionary<long, List<(int Writer, long Seq, int N)>> Appended
    {
        get { lock (_appended) return new Dictionary<long, List<(int, long, int)>>(_appended); }
    }

    /// <summary>Deliveries of one snapshot whose rows differed: a stream must never do that.</summary>
    public IReadOnlyList<string> Conflicts
    {
        get { lock (_appended) return [.. _conflicts]; }
    }

    /// <summary>Subscribes through <paramref name="client"/>, dropping the subscription of the previous connection.</summary>
    public async Task SubscribeAsync(TableStoreClient client)
    {
        TableSubscription? previous;
        lock (_subscriptions) previous = _subscriptions.LastOrDefault();
        if (previous is not null)
        {
            try { await previous.DisposeAsync(); }
            catch (Exception) { } // its connection may be half dead; the new subscription starts where it stopped
        }
        var subscription = await client.SubscribeAsync(table, OnBatchAsync,
            new SubscriptionOptions { Start = $"snapshot:{NextSnapshot}", CatchUpInterval = TimeSpan.FromMilliseconds(500), CallTimeout = TimeSpan.FromSeconds(10) });
        lock (_subscriptions) _subscriptions.Add(subscription);
    }

    /// <summary>Faults of the live subscription (a callback failure, an expired snapshot), null while it runs.</summary>
    public Exception? Failure
    {
        get
        {
            lock (_subscriptions) return _subscriptions.LastOrDefault()?.Completion is { IsFaulted: true } c ? c.Exception : null;
        }
    }

    private Task OnBatchAsync(ChangeBatch batch)
    {
        lock (_appended)
        {
            var rows = batch.Rows.Select(r => ((int)r.Values[0]!, (long)r.Values[1]!, (int)r.Values[2]!)).ToList();
            if (batch.Kind != CommitKind.Append && rows.Count > 0)
                _conflicts.Add($"snapshot {batch.SnapshotId} of kind {batch.Kind} delivered {rows.Count} rows");
            if (_appended.TryGetValue(batch.SnapshotId, out var earlier))
            {
                Interlocked.Increment(ref _duplicates);
                if (!earlier.Order().SequenceEqual(rows.Order())) _conflicts.Add($"snapshot {batch.SnapshotId} delivered twice with different rows ({earlier.Count}, then {rows.Count})");
            }
            else if (batch.Kind == CommitKind.Append) _appended[batch.SnapshotId] = rows;
            if (batch.SnapshotId >= _next) Interlocked.Exchange(ref _next, batch.SnapshotId + 1);
        }
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        List<TableSubscription> all;
        lock (_subscriptions) all = [.. _subscriptions];
        foreach (var s in all)
        {
            try { await s.DisposeAsync(); }
            catch (Exception) { }
        }
    }
}
