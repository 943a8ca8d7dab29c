using TableStore.Client;
using TableStore.Core;
using TableStore.Core.Data;

namespace TableStore.Service.Tests.LoadAndFault;

/// <summary>
/// One client application writing in a loop, as a user would against a failing cluster: each write has its own
/// id; an unknown outcome is retried with the same id until the answer is committed or not committed; a write
/// known not committed is given up (its rows must never appear). Small writes are 1–20 rows in one request; a
/// large writer streams <see cref="LargeRows"/> rows in batches (an upload of several parts, committed once).
/// </summary>
internal sealed class LoadWriter(int writer, bool large, string table, WriteLedger ledger, Func<TableStoreClient> client)
{
    public const int LargeRows = 20_000;
    private readonly Random _random = new(writer * 7919);
    private long _seq;

    /// <summary>Writes until <paramref name="stop"/>; the write in flight then still gets its answer.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var write = ledger.Begin(writer, ++_seq, large ? LargeRows : _random.Next(1, 21));
            await SettleAsync(write).ConfigureAwait(false);
        }
    }

    /// <summary>Sends the write, and again with the same id while its outcome is unknown.</summary>
    private async Task SettleAsync(WriteLedger.Write write)
    {
        while (!write.Settled)
        {
            try
            {
                var result = large
                    ? await client().WriteAsync(table, Batches(write), write.Identity).ConfigureAwait(false)
                    : await client().WriteAsync(table, Rows(write, 0, write.Rows), write.Identity).ConfigureAwait(false);
                ledger.Acknowledged(write, result?.SnapshotId ?? throw new InvalidOperationException($"Write {write.Id} of {write.Rows} rows was acknowledged without a snapshot."), result.AlreadyCommitted);
            }
            catch (WriteNotCommittedException e)
            {
                write.NotCommitted = true;
                if (!e.IsRetryable) ledger.Unclassified(write, e); // a fault is transient: "do not retry" would be wrong here
            }
            catch (WriteOutcomeUnknownException)
            {
                ledger.Unknown();
                await Task.Delay(500, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not InvalidOperationException)
            {
                // Neither committed nor not committed: the client broke its contract. Retrying settles the write.
                ledger.Unclassified(write, e);
                await Task.Delay(500, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    public static object?[] Row(int writer, long seq, int n) => [writer, seq, n, $"payload of {writer}/{seq}/{n}"];

    private List<ChangeRow> Rows(WriteLedger.Write write, int from, int count) =>
        Enumerable.Range(from, count).Select(n => new ChangeRow(RowKind.Insert, Row(write.Writer, write.Seq, n))).ToList();

    private async IAsyncEnumerable<IReadOnlyList<ChangeRow>> Batches(WriteLedger.Write write)
    {
        const int batch = 2_000;
        for (int from = 0; from < write.Rows; from += batch)
        {
            await Task.Yield();
            yield return Rows(write, from, Math.Min(batch, write.Rows - from));
        }
    }
}
