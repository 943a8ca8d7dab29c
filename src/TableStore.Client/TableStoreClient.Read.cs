using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using TableStore.Abstractions;
using TableStore.Core;
using TableStore.Core.Api;
using TableStore.Core.Scan;
using TableStore.Core.Schema;
using TableStore.Core.Streaming;
using TableStore.Core.Table;

namespace TableStore.Client;

/// <summary>Reads: scans page by page, and a table's changes as a pull stream or a push subscription.</summary>
public sealed partial class TableStoreClient
{
    /// <summary>Reads a snapshot (default latest) with projection, filter and limit, page by page.</summary>
    public async Task<ScanOutcome> ScanAsync(Identifier id, ScanOptions options, CancellationToken ct)
    {
        if (options.Predicate is not null)
            throw new InvalidInputException($"A scan through {Location} takes its filter as text (ScanOptions.Filter), not as a Predicate object.");
        var request = new ScanRequest
        {
            SnapshotId = options.SnapshotId,
            AsOfMillis = options.AsOf?.ToUnixTimeMilliseconds(),
            Columns = options.Columns,
            Filter = options.Filter,
            Limit = options.Limit,
            Tag = options.Tag,
        };
        var table = id.FullName;
        // Until the first page arrives nothing was consumed, so a failed start is retried like any read.
        var pages = await RetryAsync($"scan {table}", async () =>
        {
            var e = _grains.GetGrain<IScanGrain>(GrainKeys.Scan(table)).ScanAsync(request).GetAsyncEnumerator(ct);
            try
            {
                if (!await e.MoveNextAsync().ConfigureAwait(false) || e.Current.Header is null)
                    throw new TableStoreException($"The scan of {table} returned no header (a service bug).");
                return e;
            }
            catch
            {
                await e.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }, ct).ConfigureAwait(false);
        var header = pages.Current.Header!;
        return new ScanOutcome(header.Columns, header.SnapshotId, Rows(pages, pages.Current.Rows, $"send the next rows of the scan of {table}", ct));
    }

    /// <summary>The scan's rows, page after page; each page must come within <see cref="TableStoreClientOptions.CallTimeout"/>.</summary>
    private async IAsyncEnumerable<object?[]> Rows(IAsyncEnumerator<ScanPage> pages, object?[][] first, string what, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var _ = pages.ConfigureAwait(false);
        foreach (var row in first) yield return row;
        while (await NextPageAsync(pages, what, ct).ConfigureAwait(false))
            foreach (var row in pages.Current.Rows) yield return row;
    }

    private async Task<bool> NextPageAsync(IAsyncEnumerator<ScanPage> pages, string what, CancellationToken ct)
    {
        try
        {
            return await pages.MoveNextAsync().AsTask().WaitAsync(_options.CallTimeout, ct).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw NoAnswer(what, e);
        }
    }

    /// <summary>
    /// Subscribes to a table's changes (see <see cref="TableSubscription"/>): from the table's Orleans stream on the
    /// provider named <see cref="TableStoreClientOptions.StreamProvider"/> when this process has it, and from the lake
    /// for everything else. Dispose the subscription to stop.
    /// </summary>
    public Task<TableSubscription> SubscribeAsync(Identifier id, Func<ChangeBatch, Task> onBatch, SubscriptionOptions? options = null)
    {
        var streams = _services is null || string.IsNullOrEmpty(_options.StreamProvider) ? null : _services.GetKeyedService<IStreamProvider>(_options.StreamProvider);
        return TableSubscription.StartAsync(_grains, streams, id.FullName, onBatch, options ?? new SubscriptionOptions(), _options.CallTimeout,
            _services?.GetService<ILoggerFactory>()?.CreateLogger<TableSubscription>());
    }

    /// <inheritdoc cref="SubscribeAsync(Identifier, Func{ChangeBatch, Task}, SubscriptionOptions?)"/>
    public Task<TableSubscription> SubscribeAsync(string table, Func<ChangeBatch, Task> onBatch, SubscriptionOptions? options = null) =>
        SubscribeAsync(Identifier.Parse(table), onBatch, options);

    /// <summary>
    /// A subscription (<see cref="SubscribeAsync(Identifier, Func{ChangeBatch, Task}, SubscriptionOptions?)"/>) whose
    /// batches are handed over one at a time: a batch counts as processed (and the consumer's progress moves past it)
    /// when the next one is asked for, as in embedded mode.
    /// </summary>
    public async IAsyncEnumerable<ChangeBatch> StreamAsync(Identifier id, StreamingOptions options, [EnumeratorCancellation] CancellationToken ct)
    {
        // Unbounded: the subscription's first catch-up delivers before this reader starts.
        var channel = Channel.CreateUnbounded<ChangeBatch>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        await using var subscription = await SubscribeAsync(id, b => channel.Writer.WriteAsync(b, ct).AsTask(), new SubscriptionOptions
        {
            Start = options.Start.ToString(),
            ConsumerId = options.ConsumerId,
            RecordProgress = false,
            CatchUpInterval = TimeSpan.FromMilliseconds(500),
        }).ConfigureAwait(false);
        _ = subscription.Completion.ContinueWith(t => channel.Writer.TryComplete(t.Exception?.InnerException), TaskScheduler.Default);
        while (true)
        {
            if (!channel.Reader.TryRead(out var batch))
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
                if (options.IdleTimeout is { } timeout) idle.CancelAfter(timeout);
                try { batch = await channel.Reader.ReadAsync(idle.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    // Idle, or unanswered: a stream that ends must say which.
                    if (subscription.Unanswered is { } e)
                        throw new TableStoreException(string.Create(CultureInfo.InvariantCulture,
                            $"The cluster stopped answering while {id.FullName} was followed: no snapshot for {options.IdleTimeout!.Value.TotalSeconds:0.#} s and its last catch-up failed ({ErrorText.Summary(e)}). Follow it again once the cluster answers; with a consumer id it resumes after the last snapshot delivered."), e).WithRetryable(true);
                    yield break;
                }
                catch (ChannelClosedException e) when (e.InnerException is { } inner) { throw inner; }
            }
            yield return batch;
            if (options.ConsumerId is { } consumer) await SetConsumerAsync(id, consumer, batch.SnapshotId + 1, ct).ConfigureAwait(false);
        }
    }
}
